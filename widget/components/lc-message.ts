import { html, nothing, type PropertyValues } from 'lit';
import { LIKE_REACTION, REACTIONS, type Badge, type Message, type Reaction } from 'live-chat-protocol';
import type { PendingMessage } from '../state/outbox.ts';
import { isStaff } from '../state/staff.ts';
import { avatar, avatarStyles } from './avatar.ts';
import { define, LcElement } from './base-element.ts';
import { base } from './shared.styles.ts';
import { styles } from './lc-message.styles.ts';
import { richText } from './rich-text.ts';

const BADGES = ['host', 'winner', 'moderator'] as const satisfies readonly Badge[];

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The time's title ("12/1/2026, 1:47:18 AM"), as `toLocaleString(lang)` writes it, with one formatter per language. */
const dateFormat = (lang: string): Intl.DateTimeFormat => {
  let format = dateFormats.get(lang);
  if (!format) dateFormats.set(lang, (format = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  return format;
};

/**
 * One chat message: avatar (picture or initials), name, HOST / WINNER / MODERATOR badges,
 * relative time, the text (always as text, never as HTML), a gold coin chip when the
 * message earned coins, and a like button with its count.
 *
 * @summary One message of the chat.
 * @csspart avatar - The round avatar.
 * @csspart author - The author's name.
 * @csspart badge - Every badge; also `badge-host`, `badge-winner`, `badge-moderator`.
 * @csspart badge-host - The HOST badge.
 * @csspart badge-winner - The WINNER badge.
 * @csspart badge-moderator - The MOD badge.
 * @csspart time - The relative time (`<time datetime>`).
 * @csspart message-text - The text.
 * @csspart link - An `http(s)` URL in the text, as a link (`target="_blank"`, `rel="noopener noreferrer nofollow ugc"`).
 * @csspart coin - The "+1" coin chip (only on messages with `reward.coins > 0`).
 * @csspart like-button - The like button: the count (empty at 0), then a visually hidden "Like".
 * @csspart hide-button - "Hide messages from Ana" (others' messages; for me alone, undoable), shown on hover and focus.
 * @csspart react-button - Opens the reaction picker. The like, react, reply and hide buttons are one toolbar: one tab stop, arrow keys inside.
 * @csspart reply-button - Answers the message (the composer shows "Replying to Ana").
 * @csspart reply-quote - Above a reply's text: the original's author and first 100 characters; activating it scrolls to the original when it is loaded.
 * @csspart reaction - A reaction chip (👍 😂 😮 🎉 with its count, `aria-pressed` when mine); ❤️ is the like button.
 * @csspart reaction-picker - The five reactions to toggle (each a `reaction-option`).
 * @csspart reaction-option - One reaction in the picker.
 * @csspart message-actions - The moderation menu (`lc-message-actions`, from the host-tools chunk), hosts and moderators only.
 * @cssproperty --lc-badge-host-color - HOST badge background.
 * @cssproperty --lc-badge-winner-color - WINNER badge background.
 * @cssproperty --lc-badge-moderator-color - MOD badge background.
 * @cssproperty --lc-coin-color - The coin.
 * @cssproperty --lc-coin-chip-bg - The coin chip's background.
 * @cssproperty --lc-color-like - The like button when liked.
 */
export class LcMessage extends LcElement {
  /**
   * The list (or a story) hands each message its stores: no context request per message.
   * @internal
   */
  static override consumesContext = false;

  static override properties = {
    message: { attribute: false },
    pending: { attribute: false },
    liked: { attribute: false },
    now: { attribute: false },
  };

  /** The message to show. */
  declare message?: Message;
  /** Set for the user's own message that the server has not acknowledged yet. */
  declare pending?: PendingMessage['state'];
  /** Whether the user liked it (the like button's `aria-pressed`). */
  liked = false;
  /** ms since epoch, for the relative time. */
  now = Date.now();
  /** Whether the reaction picker is open. */
  #picking = false;

  static override styles = [base, avatarStyles, styles];

  /** The toolbar (like, react, reply, hide) is one tab stop: arrow keys move inside it. */
  #arrows(e: KeyboardEvent): void {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    buttons[(at + (getComputedStyle(this).direction === 'rtl' ? -step : step) + buttons.length) % buttons.length]?.focus();
    e.preventDefault();
  }

  #react(emoji: Reaction): void {
    this.#picking = false;
    this.requestUpdate();
    this.stores?.actions.react(this.message!.id, emoji);
  }

  /** Activating a reply's quote scrolls to the original, when it is loaded, and focuses it. */
  #jump(id: string): void {
    const original = this.parentElement?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
    if (!original) return;
    original.tabIndex = -1;
    original.scrollIntoView({ block: 'center' });
    original.focus();
  }

  /** Chips of the reactions given (❤️ is the like button), then the picker when open. */
  #reactions(m: Message) {
    const { t, compact } = this.locale;
    const counts = m.reactions ?? {};
    const mine = this.stores?.ui.$mine.get().get(m.id) ?? [];
    const given = REACTIONS.filter((r) => r !== LIKE_REACTION && counts[r]);
    if (!given.length && !this.#picking) return nothing;
    return html`<div class="reactions">
      ${given.map(
        (r) => html`<button part="reaction" aria-pressed=${mine.includes(r)} aria-label=${t.reaction(r, counts[r]!)} @click=${() => this.#react(r)}>${r} ${compact(counts[r]!)}</button>`,
      )}
      ${this.#picking
        ? html`<span part="reaction-picker" role="group" aria-label=${t.react}>${REACTIONS.map(
            (r) => html`<button part="reaction-option" aria-pressed=${mine.includes(r)} @click=${() => this.#react(r)}>${r}</button>`,
          )}</span>`
        : nothing}
    </div>`;
  }

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // States live on the host (the row itself, no wrapper): `data-pending`, `data-deleted`.
    this.toggleAttribute('data-pending', !!this.pending);
    this.toggleAttribute('data-deleted', !!this.message?.deleted);
  }

  /**
   * Elements per message are few (issue 10, item 9): the host is the row's grid (no wrapper),
   * the heart is drawn by CSS, the title's date format is made once per language.
   */
  override render() {
    const m = this.message;
    if (!m) return nothing;
    const { t, relative, compact, lang } = this.locale;
    const coins = m.reward?.coins ?? 0;
    const mine = m.user.id === this.stores?.me.$me.get()?.user.id;
    return html`${avatar(m.user.id, m.user.name, m.user.avatarUrl)}
      <div class="meta">
        <span class="author" part="author" dir="auto">${m.user.name}</span>
        ${BADGES.filter((b) => m.user.badges.includes(b)).map(
          (b) => html`<span class="badge ${b}" part="badge badge-${b}" role="img" aria-label=${t[b]}>${t[`${b}Short`]}</span>`,
        )}
        ${this.pending
          ? html`<span class="time">${this.pending === 'queued' ? t.queued : t.pending}</span>`
          : html`<time part="time" class="time" datetime=${m.createdAt} title=${dateFormat(lang).format(new Date(m.createdAt))}
              >${relative(m.createdAt, this.now)}</time
            >`}
        ${coins > 0
          ? html`<span class="coin" part="coin" role="img" aria-label=${t.earned(coins)}><i class="gold"></i>+${coins}</span>`
          : nothing}
        ${isStaff(this.stores?.me.$me.get()?.user) && !this.pending && !m.deleted
          ? html`<lc-message-actions part="message-actions" .message=${m}></lc-message-actions>`
          : nothing}
      </div>
      ${m.replyTo && !m.deleted
        ? html`<button class="quote" part="reply-quote" @click=${() => this.#jump(m.replyTo!.id)}><b dir="auto">${m.replyTo.name}</b> <span dir="auto">${m.replyTo.text}</span></button>`
        : nothing}
      <p class="text" part="message-text" dir="auto">${m.deleted ? t.deleted : richText(m.text)}</p>
      ${m.deleted ? nothing : this.#reactions(m)}
      ${this.pending || m.deleted
        ? nothing
        : html`<span class="tools" role="toolbar" @keydown=${this.#arrows}>
            <button class="like" part="like-button" aria-pressed=${this.liked} @click=${() => this.stores?.actions.like(m.id)}>
              ${m.likes ? compact(m.likes) : ''}<span class="sr"> ${t.like}</span>
            </button>
            <button class="tool" part="react-button" tabindex="-1" aria-label=${t.react} title=${t.react} aria-expanded=${this.#picking} @click=${() => ((this.#picking = !this.#picking), this.requestUpdate())}>☺</button>
            <button class="tool" part="reply-button" tabindex="-1" aria-label=${t.reply} title=${t.reply} @click=${() => this.stores?.ui.replyTo(m)}>↩</button>
            ${mine ? nothing : html`<button class="tool" part="hide-button" tabindex="-1" aria-label=${t.hide(m.user.name)} title=${t.hide(m.user.name)} @click=${() => this.stores?.hidden.hide(m.user)}>⊘</button>`}
          </span>`}`;
  }
}

define('lc-message', LcMessage);

declare global {
  interface HTMLElementTagNameMap {
    'lc-message': LcMessage;
  }
}
