import { html, nothing, type PropertyValues } from 'lit';
import type { Message } from 'live-chat-protocol';
import { mentions } from '../state/mentions.ts';
import { MAX_MESSAGES } from '../state/messages.ts';
import type { PendingMessage } from '../state/outbox.ts';
import { isStaff } from '../state/staff.ts';
import { avatarStyles } from './avatar.ts';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';
import { styles } from './lc-message-list.styles.ts';
import { MessageRowsController, type Item } from './message-rows.ts';
import { styles as rowStyles } from './message-row.styles.ts';
import { base } from './shared.styles.ts';

/** ms between two announcements of new messages to screen readers. */
const ANNOUNCE_EVERY_MS = 1500;
/** ms: while messages stream, the list renders at most this often (10 times a second). */
const RENDER_EVERY_MS = 100;
/** px from the bottom that still count as "at the bottom". */
const NEAR_BOTTOM_PX = 48;

/**
 * The message list: a `role="log"` of at most 200 messages (older ones are dropped), the
 * user's pending messages at the end, following the bottom unless the reader scrolled up
 * (then a "New messages" pill counts what arrived). New messages from others are announced
 * to screen readers politely and in batches, at most every 1.5 s ("3 new messages"), through
 * a visually hidden status region; the log itself is `aria-live="off"` so a fast chat does
 * not flood.
 *
 * Messages are plain rows in the list's own shadow root (issue 10, item 9: no custom element,
 * shadow root or style sheet per message), drawn by `messageRow` (message-row.ts) and kept by
 * `MessageRowsController` (message-rows.ts), which also moves the one toolbar (react, reply,
 * hide, and for hosts and moderators the moderation menu) to the hovered or focused row; the
 * like button, with its count, is in every row. The toolbar is one tab stop (the like), arrow
 * keys move inside it.
 *
 * @summary The scrolling list of messages.
 * @csspart message - Each message (with `data-id` and `data-seq`; pending ones `data-pending`, deleted ones `data-deleted`).
 * @csspart mention - A message that mentions me: `part="message mention"`, highlighted.
 * @csspart new-messages - The "New messages" pill shown while scrolled up.
 * @csspart mention-count - In the pill, "@2": unseen messages that mention me (those are `part="message mention"`).
 * @csspart empty - The empty-room text, once the room is joined (not while connecting or after a failed connect).
 * @csspart avatar - A message's round avatar.
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
 * @csspart react-button - In the toolbar of the hovered or focused message: opens the reaction picker. Like, react, reply and hide are one toolbar: one tab stop, arrow keys inside.
 * @csspart reply-button - In the toolbar: answers the message (the composer shows "Replying to Ana").
 * @csspart hide-button - In the toolbar: "Hide messages from Ana" (others' messages; for me alone, undoable).
 * @csspart message-actions - In the toolbar, hosts and moderators only: the moderation menu (`lc-message-actions`, from the host-tools chunk).
 * @csspart reply-quote - Above a reply's text: the original's author and first 100 characters; activating it scrolls to the original when it is loaded.
 * @csspart reaction - A reaction chip (👍 😂 😮 🎉 with its count, `aria-pressed` when mine); ❤️ is the like button.
 * @csspart reaction-picker - The five reactions to toggle (each a `reaction-option`).
 * @csspart reaction-option - One reaction in the picker.
 * @csspart hidden-notice - "Messages from Ana are hidden for you." / "2 people hidden.", while anyone is hidden.
 * @csspart undo-button - Its "Undo" (the last hide) or "Show all".
 * @cssproperty --lc-badge-host-color - HOST badge background.
 * @cssproperty --lc-badge-winner-color - WINNER badge background.
 * @cssproperty --lc-badge-moderator-color - MOD badge background.
 * @cssproperty --lc-coin-color - The coin.
 * @cssproperty --lc-coin-chip-bg - The coin chip's background.
 * @cssproperty --lc-color-like - The like button when liked.
 */
export class LcMessageList extends LcElement {
  #messages = this.watch((s) => s.messages.$messages);
  #older = this.watch((s) => s.messages.$older);
  #atStart = this.watch((s) => s.messages.$atStart);
  /** While an older page loads: the message shown first and its offset from the top of the view (px), kept in place. */
  #anchor?: { key: string; offset: number };
  #outbox = this.watch((s) => s.outbox.$outbox);
  #me = this.watch((s) => s.me.$me);
  /** The empty-room text only once the room is joined: not under a failed connect, an unknown room or a join under way. */
  #connection = this.watch((s) => s.connection.$connection);
  #room = this.watch((s) => s.room.$room);
  #liked = this.watch((s) => s.ui.$liked);
  #mine = this.watch((s) => s.ui.$mine);
  /** The rows and their shared toolbar. */
  #rows = new MessageRowsController(this, (key, message) => {
    const me = this.#me.value?.user;
    return {
      liked: !!this.#liked.value?.has(key),
      now: this.#now,
      mine: this.#mine.value?.get(key),
      own: message.user.id === me?.id,
      staff: isStaff(me),
      locale: this.locale,
    };
  });
  #hidden = this.watch((s) => s.hidden.$hidden);
  #lastHidden = this.watch((s) => s.hidden.$last);

  /** Of those, the ones that mention me. */
  #unseenMentions = 0;
  /** Messages that arrived while the reader was scrolled up. */
  #unseen = 0;
  /** What the polite live region says (the batched announcement). */
  #announcement = '';
  /** ms since epoch for relative times, refreshed every 15 s. */
  #now = Date.now();
  #clock?: ReturnType<typeof setInterval>;

  #atBottom = true;
  /** Set when the user's own message must bring the view down from where the reader was. */
  #jump = false;
  #lastSeq?: number;
  #outboxSize = 0;
  #heard: Message[] = [];
  #announceTimer?: ReturnType<typeof setTimeout>;
  #items: Item[] = [];
  /** When the list last rendered (`performance.now()`, ms). */
  #renderedAt = 0;

  static override styles = [base, avatarStyles, rowStyles, styles];

  /**
   * Busy rooms (issue 10, item 9): the list renders at most once per animation frame, however
   * many messages, likes and reactions arrived in it (Lit's documented `scheduleUpdate` hook),
   * and while they stream, at most once per {@link RENDER_EVERY_MS}: a render is mostly the
   * browser's style, layout, paint and commit of the moved list, whatever the number of new
   * rows, so ten messages go in one render rather than in six. After a quiet spell a message
   * shows in the next frame. Pointing and focus (the toolbar) and the reaction picker render
   * their rows at once.
   */
  protected override async scheduleUpdate(): Promise<void> {
    // The first render at once: the list is there as soon as the element is.
    if (this.hasUpdated) {
      const wait = this.#renderedAt + RENDER_EVERY_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await new Promise((r) => requestAnimationFrame(r));
    }
    this.#renderedAt = performance.now();
    super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => {
      this.#now = Date.now();
      this.requestUpdate();
    }, 15_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    clearTimeout(this.#announceTimer);
    this.#announceTimer = undefined;
  }

  /** Scrolls to the newest message and clears the "New messages" pill. */
  scrollToEnd(): void {
    this.#atBottom = true;
    this.#unseen = this.#unseenMentions = 0;
    this.requestUpdate();
    const log = this.renderRoot.querySelector('.log');
    log?.scrollTo({ top: log.scrollHeight });
  }

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const me = this.#me.value?.user.id;
    // Users I hid (for me alone): their messages are not shown, announced or counted.
    const hidden = new Set(this.#hidden.value?.map((u) => u.id));
    hidden.delete(me!);
    // Paged back (scrollback): the window of older messages, else the live end.
    const all = this.#older.value ?? this.#messages.value ?? [];
    if (this.#older.value) this.#atBottom = false;
    const list = hidden.size ? all.filter((m) => !hidden.has(m.user.id)) : all;
    const outbox = this.#outbox.value ?? [];
    const lastSeq = all.at(-1)?.seq;
    // The user's own new message always brings the view down.
    if (outbox.length > this.#outboxSize) this.#atBottom = this.#jump = true;
    this.#outboxSize = outbox.length;
    if (this.#lastSeq !== undefined && lastSeq !== undefined && lastSeq > this.#lastSeq) {
      const fresh = list.filter((m) => m.seq > this.#lastSeq! && m.user.id !== me);
      if (!this.#atBottom) {
        this.#unseen += fresh.length;
        const name = this.#me.value?.user.name;
        if (name) this.#unseenMentions += fresh.filter((m) => !m.deleted && mentions(m.text, name)).length;
      }
      this.#hear(fresh);
    }
    this.#lastSeq = lastSeq;
    const author = this.#me.value?.user;
    // A message restored after a reload carries its author: shown before the join says who I am.
    const pending = outbox.flatMap(({ user = author, ...p }): Item[] =>
      user
        ? [{ key: p.clientId, pending: p.state, message: { id: p.clientId, seq: 0, roomId: p.roomId, clientId: p.clientId, user, text: p.text, createdAt: new Date(p.createdAt).toISOString(), likes: 0, reward: null } }]
        : [],
    );
    this.#items = [...list.map((message) => ({ key: message.id, message })), ...pending].slice(-MAX_MESSAGES);
  }

  /**
   * Following the bottom also when rows change height after the list rendered: a message out
   * of view skips layout (`content-visibility: auto`) with an estimated height until it shows,
   * and pictures load late.
   */
  override firstUpdated(): void {
    const log = this.renderRoot.querySelector('.log')!;
    new ResizeObserver(() => {
      if (this.#atBottom && !this.#anchor) log.scrollTop = log.scrollHeight;
    }).observe(this.renderRoot.querySelector('.items')!);
  }

  override updated(): void {
    this.#rows.sync(this.renderRoot.querySelector('.items')!, this.#items, this.#me.value?.user);
    const anchor = this.#anchor;
    if (anchor && this.#older.value) {
      // An older page went in above (and the newest left below): keep what the reader saw where it was.
      const node = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(anchor.key)}"]`);
      if (node) this.renderRoot.querySelector('.log')!.scrollTop = node.offsetTop - anchor.offset;
      this.#anchor = undefined;
    }
    // Following the bottom is the ResizeObserver's (firstUpdated), after the frame's layout: no
    // forced layout here, but for a jump down from where the reader was (the list's height may not change).
    if (!this.#jump) return;
    this.#jump = false;
    const log = this.renderRoot.querySelector('.log');
    if (log && this.#atBottom) log.scrollTop = log.scrollHeight;
  }

  /** Collects messages for the next batched announcement. */
  #hear(fresh: Message[]): void {
    if (!fresh.length) return;
    this.#heard.push(...fresh);
    this.#announceTimer ??= setTimeout(() => {
      this.#announceTimer = undefined;
      const [first, ...more] = this.#heard;
      this.#heard = [];
      this.#announcement = more.length ? this.locale.t.newMessages(more.length + 1) : `${first!.user.name}: ${first!.text.slice(0, 140)}`;
      this.requestUpdate();
    }, ANNOUNCE_EVERY_MS);
  }

  #onScroll(e: Event): void {
    const log = e.currentTarget as HTMLElement;
    this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
    const actions = this.stores?.actions;
    // Scrollback: near the top, the page before; at the bottom of a paged-back window, live again.
    // The bottom wins: a list that overflows by less than NEAR_BOTTOM_PX is near both ends, and
    // a reader there follows live (a scroll the list makes itself, e.g. after a reload, is not a
    // request for older messages).
    const top = this.renderRoot.querySelector<HTMLElement>('.items > *');
    if (actions && top && log.scrollTop < NEAR_BOTTOM_PX && !this.#atBottom && !this.#atStart.value && !this.#anchor) {
      this.#anchor = { key: top.dataset.id!, offset: top.offsetTop - log.scrollTop };
      const messages = this.stores!.messages;
      const first = messages.firstSeq();
      void actions.loadOlder().finally(() => {
        // Nothing came (an error, the start): nothing to keep.
        if (messages.firstSeq() === first) this.#anchor = undefined;
      });
    }
    if (this.#atBottom && this.#older.value) {
      actions?.follow();
      this.#atBottom = true;
    }
    if (this.#atBottom && this.#unseen) {
      this.#unseen = this.#unseenMentions = 0;
      this.requestUpdate();
    }
  }

  /** "Messages from Ana are hidden for you. Undo", or "2 people hidden. Show all". */
  #renderHidden() {
    const { t } = this.locale;
    const last = this.#lastHidden.value;
    const count = this.#hidden.value?.length ?? 0;
    if (!count) return nothing;
    const stores = this.stores!;
    return html`<p class="hidden-notice" part="hidden-notice" role="status">
      ${last ? t.hidden(last.name) : t.hiddenCount(count)}
      <button part="undo-button" @click=${() => (last ? stores.hidden.unhide(last.id) : stores.hidden.showAll())}>${last ? t.undo : t.showAll}</button>
    </p>`;
  }

  /**
   * True once the room has been joined: connected (`online`, or `reconnecting` after it was)
   * with the room's join answered (a room switch clears it until the new join is answered).
   */
  #joined(): boolean {
    const status = this.#connection.value?.status;
    return (status === 'online' || status === 'reconnecting') && !!this.#room.value;
  }

  override render() {
    const { t } = this.locale;
    return html`<div class="log" role="log" aria-live="off" aria-label=${t.messages} tabindex="0" @scroll=${this.#onScroll}>
        <div class="items" @click=${this.#rows.onClick} @keydown=${this.#rows.onKeyDown} @pointerover=${this.#rows.onPointerOver}
          @pointerleave=${this.#rows.onPointerLeave} @focusin=${this.#rows.onFocusIn} @focusout=${this.#rows.onFocusOut}></div>
        ${this.#items.length || !this.#joined() ? nothing : html`<p class="empty" part="empty">${t.empty}</p>`}
      </div>
      <div class="sr" role="status" aria-live="polite">${this.#announcement}</div>
      ${this.#renderHidden()}
      ${this.#unseen
        ? html`<button class="pill" part="new-messages" @click=${this.scrollToEnd}>${icons.down}${t.jumpToNew} (${this.#unseen})${this.#unseenMentions ? html` <span part="mention-count">@${this.#unseenMentions}</span>` : nothing}</button>`
        : nothing}`;
  }
}

define('lc-message-list', LcMessageList);

declare global {
  interface HTMLElementTagNameMap {
    'lc-message-list': LcMessageList;
  }
}
