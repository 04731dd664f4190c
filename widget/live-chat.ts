import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { define } from './components/base-element.ts';
import './components/lc-banner.ts';
import './components/lc-composer.ts';
import './components/lc-header.ts';
import './components/lc-leaderboard.ts';
import './components/lc-message-list.ts';
import './components/lc-pinned.ts';
import './components/lc-toast.ts';
import './components/lc-typing.ts';
import { styles } from './live-chat.styles.ts';
import { createLocale } from './i18n/locale.ts';
import { tokens } from './components/shared.styles.ts';
import { createChatStores } from './state/chat-stores.ts';
import { storesContext } from './state/context.ts';
import { isStaff } from './state/staff.ts';
import { StoreController } from './state/store-controller.ts';
import type { ChatTransport } from './transport/chat-transport.ts';
import { ConnectionController } from './transport/connection-controller.ts';

const HEADER_PARTS = 'live,title,viewer-count,like-count,leaderboard-toggle';
const LIST_PARTS = 'message,mention,mention-count,new-messages,empty,avatar,author,badge,badge-host,badge-winner,badge-moderator,time,message-text,link,coin,like-button,hide-button,react-button,reply-button,reply-quote,reaction,reaction-picker,reaction-option,hidden-notice,undo-button,message-actions';
const COMPOSER_PARTS = 'reply-preview,cancel-reply,input,mention-list,mention-option,char-counter,heart-button,send-button,composer-status,slow-mode-countdown,xp';
const BOARD_PARTS = 'leaderboard-row,rank-up,leaderboard-gain,close-button';

/**
 * `<live-chat>`: an embeddable chat for a live event. Drop the script on a page and write
 * `<live-chat server="https://chat.example.com" room="lobby"></live-chat>`; give it (or its
 * container) a height. It connects to the reference server over Socket.IO, shows the room's
 * header, messages, composer, session leaderboard and level-up toasts, and reconnects by
 * itself (docs/protocol.md): messages typed offline wait and go out once.
 *
 * Without a `server` (or a `transport`), it shows an error state and fires `lc-error`
 * (`source: 'setup'`) instead of throwing.
 *
 * @summary An embeddable live-event chat with XP, coins and a session leaderboard.
 *
 * @attr server - Base URL of the chat server, e.g. `https://chat.example.com` (any origin).
 * @attr room - Room id to join. Default `lobby`.
 * @attr token - A JWT for the user (`auth: { token }`); without one the user is a guest who can read.
 * @attr theme - `light` (default), `dark`, or `auto` (follows `prefers-color-scheme`).
 * @attr lang - Language of the interface (`en`, `sv`, …); default: the page's `<html lang>`.
 * @attr dir - `ltr` or `rtl`; default: from the language.
 * @attr hide-leaderboard - Hides the session leaderboard.
 *
 * @prop {() => Promise<string | null>} tokenProvider - Called before every (re)connection and after an `unauthorized`, to refresh the token; overrides `token`.
 * @prop {ChatTransport} transport - Talks to something other than a Socket.IO server (e.g. the `FakeTransport` of stories and tests); overrides `server`.
 *
 * @fires {LcSendEvent} lc-send - The user sends a message; cancelable (`preventDefault()` vetoes it). `detail: { roomId, clientId, text }`.
 * @fires {LcMessageEvent} lc-message - A message arrived live (not history). `detail: { message, own }`.
 * @fires {LcLikeEvent} lc-like - The user liked a message or sent a heart. `detail: { roomId, messageId | null, likes, liked }`.
 * @fires {LcErrorEvent} lc-error - Something failed. `detail: { error: { code, message, retryAfterMs? }, source }`.
 * @fires {LcConnectionChangeEvent} lc-connection-change - `detail: { status, previous }`; status is `idle`, `connecting`, `online`, `reconnecting` or `error`.
 * @fires {LcRewardEvent} lc-reward - The user earned XP or coins; `detail` is the server's `Reward`.
 * @fires {LcLevelUpEvent} lc-level-up - The user reached a new level. `detail: { level, reward }`.
 *
 * @slot sign-in - Shown to guests who cannot post, next to "Sign in to chat" (e.g. the site's sign-in button).
 *
 * @csspart base - The frame around everything.
 * @csspart header - The header (`lc-header`); inside it `live`, `title`, `viewer-count`, `like-count`, `leaderboard-toggle`.
 * @csspart live - The live indicator.
 * @csspart title - The room title.
 * @csspart viewer-count - Viewers (occupancy).
 * @csspart like-count - Session likes.
 * @csspart leaderboard-toggle - Opens the leaderboard panel (narrow layout).
 * @csspart banner - The reconnecting / error banner.
 * @csspart mod-panel - Room controls (`lc-mod-panel`), hosts and moderators only: title, slow mode, chat window, session, recap; inside it `mod-panel-toggle` and `recap`.
 * @csspart mod-panel-toggle - Opens and closes the room controls.
 * @csspart recap - The session recap (`lc-recap`) opened from the room controls.
 * @csspart pinned - The pinned message above the list (everyone).
 * @csspart unpin-button - Unpins it (hosts and moderators).
 * @csspart message-list - The message list (`lc-message-list`).
 * @csspart message - Each message, with `data-id` and `data-seq` (pending ones: `data-pending`, deleted ones: `data-deleted`). A row of the list, not an element of its own.
 * @csspart avatar - Avatars (messages and leaderboard).
 * @csspart author - A message's author name.
 * @csspart badge - Every badge; also `badge-host`, `badge-winner`, `badge-moderator`.
 * @csspart badge-host - HOST badge.
 * @csspart badge-winner - WINNER badge.
 * @csspart badge-moderator - MOD badge.
 * @csspart time - A message's relative time.
 * @csspart message-text - A message's text.
 * @csspart link - An `http(s)` URL in a message, as a link (`target="_blank"`, `rel="noopener noreferrer nofollow ugc"`); nothing else in a message becomes markup.
 * @csspart coin - The gold "+1" coin chip of a message that earned coins.
 * @csspart like-button - A message's like button and count.
 * @csspart message-actions - The moderation menu (`lc-message-actions`) in the toolbar of the hovered or focused message, hosts and moderators only: delete, pin, time out, ban.
 * @csspart new-messages - The "New messages" pill while scrolled up.
 * @csspart mention - A message that mentions me (`@` and my name or its first word): `part="message mention"`, highlighted.
 * @csspart mention-count - In the "New messages" pill, "@2": how many of the unseen messages mention me.
 * @csspart mention-list - The `@` suggestion list of recent chatters under the input (↑ ↓, Enter or Tab, Escape).
 * @csspart mention-option - A name in it.
 * @csspart hide-button - "Hide messages from Ana" (others' messages), in the toolbar of the hovered or focused message.
 * @csspart hidden-notice - "Messages from Ana are hidden for you." / "2 people hidden." below the list, while anyone is hidden.
 * @csspart undo-button - Its "Undo" (the last hide) or "Show all".
 * @csspart react-button - Opens a message's reaction picker. One toolbar (react, reply, hide; the moderation menu for hosts and moderators) shows in the hovered or focused message, before its like button; the like is in every message. Like, react, reply and hide are one tab stop, arrow keys inside.
 * @csspart reply-button - In the toolbar of the hovered or focused message: answers it ("Replying to Ana" above the input).
 * @csspart reply-quote - Above a reply's text: the original's author and first 100 characters; activating it scrolls to the original when it is loaded.
 * @csspart reaction - A reaction chip (👍 😂 😮 🎉 and its count; `aria-pressed` when mine). ❤️ is the like button (`Message.likes` is the ❤️ count).
 * @csspart reaction-picker - The open picker of the five reactions (each a `reaction-option`).
 * @csspart reaction-option - One reaction in the picker.
 * @csspart reply-preview - "Replying to Ana: …" above the input while answering a message.
 * @csspart cancel-reply - Its close button.
 * @csspart empty - The empty-room text.
 * @csspart typing - "Ana is typing…" / "Several people are typing…" above the composer (small rooms only: viewers at or under the join ack's `limits.smallRoomLimit`).
 * @csspart composer - The composer (`lc-composer`).
 * @csspart input - The message input.
 * @csspart char-counter - Characters left, near the 2000 limit.
 * @csspart heart-button - Sends a heart.
 * @csspart send-button - Sends the message.
 * @csspart composer-status - Window / guest / connection / error line; also a timeout or ban with its reason and end.
 * @csspart slow-mode-countdown - In slow mode, the wait before the next send.
 * @csspart xp - Level, progress and "32 / 50 XP today".
 * @csspart leaderboard - The leaderboard (`lc-leaderboard`).
 * @csspart leaderboard-row - A leaderboard row (`data-user-id`).
 * @csspart rank-up - The green arrow of a row that climbed.
 * @csspart leaderboard-gain - The floating "+1" of a row that earned.
 * @csspart close-button - Closes the leaderboard panel.
 * @csspart toast - The level-up toast.
 *
 * @cssproperty --lc-font - Font family.
 * @cssproperty --lc-font-size - Base font size. Default 14px.
 * @cssproperty --lc-radius - Corner radius of the frame. Default 14px.
 * @cssproperty --lc-radius-small - Smaller radius.
 * @cssproperty --lc-space - Base spacing.
 * @cssproperty --lc-shadow - The frame's shadow.
 * @cssproperty --lc-color-bg - Background.
 * @cssproperty --lc-color-surface - Raised surfaces (input, chips).
 * @cssproperty --lc-color-hover - Row hover.
 * @cssproperty --lc-color-border - Borders.
 * @cssproperty --lc-color-text - Text.
 * @cssproperty --lc-color-muted - Secondary text (4.5:1 on the background).
 * @cssproperty --lc-color-accent - Accent: send button, focus ring, XP bar.
 * @cssproperty --lc-color-on-accent - Text and icons on the accent.
 * @cssproperty --lc-color-like - Hearts and liked messages.
 * @cssproperty --lc-color-live - The live indicator.
 * @cssproperty --lc-color-success - Up-arrows.
 * @cssproperty --lc-color-danger - Errors.
 * @cssproperty --lc-color-warning-bg - Reconnecting banner background.
 * @cssproperty --lc-color-warning-text - Reconnecting banner text.
 * @cssproperty --lc-badge-host-color - HOST badge background.
 * @cssproperty --lc-badge-host-text-color - HOST badge text.
 * @cssproperty --lc-badge-winner-color - WINNER badge background.
 * @cssproperty --lc-badge-winner-text-color - WINNER badge text.
 * @cssproperty --lc-badge-moderator-color - MOD badge background.
 * @cssproperty --lc-badge-moderator-text-color - MOD badge text.
 * @cssproperty --lc-coin-color - The gold coin.
 * @cssproperty --lc-coin-chip-bg - Coin chip background.
 * @cssproperty --lc-coin-chip-text-color - Coin chip text.
 * @cssproperty --lc-toast-bg - Level-up toast background.
 * @cssproperty --lc-toast-text-color - Level-up toast text.
 */
export class LiveChat extends LitElement {
  static override properties = {
    server: {},
    room: {},
    token: {},
    theme: {},
    hideLeaderboard: { type: Boolean, attribute: 'hide-leaderboard' },
    tokenProvider: { attribute: false },
    transport: { attribute: false },
  };

  /** Base URL of the chat server. */
  server: string | null = null;
  /** Room id to join. */
  room = 'lobby';
  /** The user's JWT; null: guest. */
  token: string | null = null;
  /** Colour theme. */
  theme: 'light' | 'dark' | 'auto' = 'light';
  /** Hides the session leaderboard. */
  hideLeaderboard = false;
  /** Refreshes the token before every (re)connection; overrides `token`. */
  declare tokenProvider?: () => Promise<string | null>;
  /** A transport to use instead of connecting to `server` (stories, tests, custom backends). */
  declare transport?: ChatTransport;

  /** This element's stores (read-only use: subscribe to follow the chat from outside). */
  readonly stores = createChatStores();

  #connection = new ConnectionController(this);
  #panelOpen = new StoreController(this, () => this.stores.ui.$panelOpen);
  #locale = new StoreController(this, () => this.stores.$locale);
  #me = new StoreController(this, () => this.stores.me.$me);

  static override styles = [tokens, styles];

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  constructor() {
    super();
    new ContextProvider(this, { context: storesContext, initialValue: this.stores });
    this.stores.actions = this.#connection;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' || name === 'dir') this.requestUpdate();
  }

  /** Moves keyboard focus to the message input. */
  override focus(): void {
    this.renderRoot.querySelector('lc-composer')?.focus();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const lang = this.lang || this.closest<HTMLElement>('[lang]')?.lang || document.documentElement.lang || navigator.language;
    const dir = this.getAttribute('dir');
    const key = `${lang} ${dir}`;
    if (key !== this.#localeKey) {
      this.#localeKey = key;
      this.stores.$locale.set(createLocale(lang, dir));
    }
  }
  #localeKey = 'en null';

  #onKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape') return;
    const ui = this.stores.ui;
    if (ui.$panelOpen.get()) {
      ui.togglePanel(false);
      this.renderRoot.querySelector('lc-header')?.focusToggle();
    } else {
      ui.dismissToast();
    }
  }

  override render() {
    const { lang, dir } = this.#locale.value!;
    const board = !this.hideLeaderboard;
    const staff = isStaff(this.#me.value?.user);
    // Hosts and moderators only: the host tools are a chunk of their own (vite.config.ts), so a
    // viewer never downloads them. import() loads it once; later calls reuse the module.
    if (staff) import('./host-tools/host-tools.ts').catch(console.error);
    return html`<div class="frame ${this.theme}" part="base" lang=${lang} dir=${dir} @keydown=${this.#onKeydown}>
      <lc-header part="header" exportparts=${HEADER_PARTS} ?leaderboard=${board}></lc-header>
      <lc-banner exportparts="banner"></lc-banner>
      ${staff ? html`<lc-mod-panel part="mod-panel" exportparts="mod-panel-toggle,recap"></lc-mod-panel>` : nothing}
      <lc-pinned exportparts="pinned,unpin-button"></lc-pinned>
      <div class="body ${board ? 'side' : ''} ${board && this.#panelOpen.value ? 'panel' : ''}">
        <lc-message-list part="message-list" exportparts=${LIST_PARTS}></lc-message-list>
        ${board ? html`<lc-leaderboard part="leaderboard" exportparts=${BOARD_PARTS}></lc-leaderboard>` : nothing}
      </div>
      <lc-typing exportparts="typing"></lc-typing>
      <lc-composer part="composer" exportparts=${COMPOSER_PARTS}><slot name="sign-in" slot="sign-in"></slot></lc-composer>
      <lc-toast exportparts="toast"></lc-toast>
    </div>`;
  }
}

define('live-chat', LiveChat);

declare global {
  interface HTMLElementTagNameMap {
    'live-chat': LiveChat;
  }
}

export * from './events/index.ts';
export type { ChatTransport, ClientError, ClientErrorCode, TransportAck, TransportStatus } from './transport/chat-transport.ts';
export { createSocketTransport } from './transport/socket-transport.ts';
export { createChatStores, type ChatStores } from './state/chat-stores.ts';
export type { ConnectionStatus } from './state/connection.ts';
export { registerCatalogue } from './i18n/locale.ts';
export type { Catalogue } from './i18n/en.ts';
export type * from 'live-chat-protocol';
