import { html, nothing, type PropertyValues } from 'lit';
import type { Message } from 'live-chat-protocol';
import { mentions } from '../state/mentions.ts';
import { MAX_MESSAGES } from '../state/messages.ts';
import type { PendingMessage } from '../state/outbox.ts';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';
import { styles } from './lc-message-list.styles.ts';
import type { LcMessage } from './lc-message.ts';
import './lc-message.ts';
import { base } from './shared.styles.ts';

/** ms between two announcements of new messages to screen readers. */
const ANNOUNCE_EVERY_MS = 1500;
/** px from the bottom that still count as "at the bottom". */
const NEAR_BOTTOM_PX = 48;

const MESSAGE_PARTS = 'avatar,author,badge,badge-host,badge-winner,badge-moderator,time,message-text,link,coin,like-button,hide-button,react-button,reply-button,reply-quote,reaction,reaction-picker,reaction-option,message-actions';

/** One row of the list: a message, or the user's own one waiting in the outbox. */
interface Item {
  /** The message id, or the `clientId` of a pending one. */
  key: string;
  message: Message;
  pending?: PendingMessage['state'];
}

/** A row of the list: the name its `mention` part was computed for. */
type Row = LcMessage & { mentionOf?: string };

/**
 * The message list: a `role="log"` of at most 200 messages (older ones are dropped), the
 * user's pending messages at the end, following the bottom unless the reader scrolled up
 * (then a "New messages" pill counts what arrived). New messages from others are announced
 * to screen readers politely and in batches, at most every 1.5 s ("3 new messages"), through
 * a visually hidden status region; the log itself is `aria-live="off"` so a fast chat does
 * not flood.
 *
 * Message nodes are keyed by id (a node moves with its message, keeping focus and state) and
 * reconciled by hand rather than with Lit's `repeat`: the list only appends and drops from
 * the top, and the directive would cost 0.8 KB of the bundle budget.
 *
 * @summary The scrolling list of messages.
 * @csspart message - Each message (`lc-message`, with `data-id` and `data-seq`; pending ones `data-pending`).
 * @csspart new-messages - The "New messages" pill shown while scrolled up.
 * @csspart mention-count - In the pill, "@2": unseen messages that mention me (those are `part="message mention"`).
 * @csspart empty - The empty-room text.
 * @csspart avatar - Re-exported from each message, as are `author`, `badge`, `badge-host`,
 *   `badge-winner`, `badge-moderator`, `time`, `message-text`, `coin`, `like-button`.
 */
export class LcMessageList extends LcElement {
  #messages = this.watch((s) => s.messages.$messages);
  #older = this.watch((s) => s.messages.$older);
  #atStart = this.watch((s) => s.messages.$atStart);
  /** While an older page loads: the message shown first and its offset from the top of the view (px), kept in place. */
  #anchor?: { key: string; offset: number };
  #outbox = this.watch((s) => s.outbox.$outbox);
  #me = this.watch((s) => s.me.$me);
  #liked = this.watch((s) => s.ui.$liked);
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

  static override styles = [base, styles];

  /**
   * Busy rooms (issue 10, item 9): the list renders at most once per animation frame, however
   * many messages, likes and reactions arrived in it (Lit's documented `scheduleUpdate` hook).
   */
  protected override async scheduleUpdate(): Promise<void> {
    // The first render at once: the list is there as soon as the element is.
    if (this.hasUpdated) await new Promise((r) => requestAnimationFrame(r));
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
   * Puts one `lc-message` per item into `box`, in order: nodes of messages that left go
   * first, so the ones that stay are not moved (a move would drop focus), then new ones go in.
   */
  #sync(box: Element): void {
    const keys = new Set(this.#items.map((i) => i.key));
    const old = new Map<string, Row>();
    for (const node of [...box.children] as Row[]) {
      if (keys.has(node.dataset.id!)) old.set(node.dataset.id!, node);
      else node.remove();
    }
    const liked = this.#liked.value;
    const me = this.#me.value?.user;
    const now = this.#now;
    let at = box.firstElementChild;
    for (const { key, message, pending } of this.#items) {
      let node = old.get(key);
      if (!node) {
        node = document.createElement('lc-message');
        node.setAttribute('exportparts', MESSAGE_PARTS);
        node.dataset.id = key;
      }
      // Only what changed is written: once per frame over 200 rows, an unchanged attribute still costs.
      if (node.message !== message || node.mentionOf !== me?.name) {
        // A message that mentions me: part="message mention" (highlighted, counted in the pill).
        const mention = !!me && !pending && !message.deleted && message.user.id !== me.id && mentions(message.text, me.name);
        node.mentionOf = me?.name;
        node.setAttribute('part', mention ? 'message mention' : 'message');
        if (pending) delete node.dataset.seq;
        else node.dataset.seq = String(message.seq);
      }
      if (node.pending !== pending) node.toggleAttribute('data-pending', !!pending);
      Object.assign(node, { stores: this.stores, message, pending, now, liked: !!liked?.has(key) });
      if (node === at) at = at.nextElementSibling;
      else box.insertBefore(node, at);
    }
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

  override async updated(): Promise<void> {
    this.#sync(this.renderRoot.querySelector('.items')!);
    const anchor = this.#anchor;
    if (anchor && this.#older.value) {
      // An older page went in above (and the newest left below): keep what the reader saw where it was.
      await Promise.all([...this.renderRoot.querySelectorAll('lc-message')].map((m) => m.updateComplete));
      const node = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(anchor.key)}"]`);
      if (node) this.renderRoot.querySelector('.log')!.scrollTop = node.offsetTop - anchor.offset;
      this.#anchor = undefined;
    }
    // Following the bottom is the ResizeObserver's (firstUpdated), after the frame's layout: no
    // forced layout here, but for a jump down from where the reader was (the list's height may not change).
    if (!this.#jump) return;
    this.#jump = false;
    await Promise.all([...this.renderRoot.querySelectorAll('lc-message')].map((m) => m.updateComplete));
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
    const top = this.renderRoot.querySelector<HTMLElement>('.items > *');
    if (actions && top && log.scrollTop < NEAR_BOTTOM_PX && !this.#atStart.value && !this.#anchor && log.scrollHeight > log.clientHeight) {
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

  override render() {
    const { t } = this.locale;
    return html`<div class="log" role="log" aria-live="off" aria-label=${t.messages} tabindex="0" @scroll=${this.#onScroll}>
        <div class="items"></div>
        ${this.#items.length ? nothing : html`<p class="empty" part="empty">${t.empty}</p>`}
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
