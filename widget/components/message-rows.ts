import { render } from 'lit';
import type { Message, Reaction, UserRef } from 'live-chat-protocol';
import { mentions } from '../state/mentions.ts';
import type { PendingMessage } from '../state/outbox.ts';
import type { LcElement } from './base-element.ts';
import { messageRow, sameRow, type RowState } from './message-row.ts';

/** One row of the list: a message, or the user's own one waiting in the outbox. */
export interface Item {
  /** The message id, or the `clientId` of a pending one. */
  key: string;
  message: Message;
  pending?: PendingMessage['state'];
}

/** What a row shows besides its item and the toolbar: asked of the list for each row it renders. */
export type RowContext = Omit<RowState, 'message' | 'pending' | 'active' | 'picking'>;

/** A row of the list (`part="message"`): its item, what it last rendered, the name its `mention` part was computed for. */
type Row = HTMLElement & { item?: Item; state?: RowState; mentionOf?: string };

/**
 * The rows of `lc-message-list` and the toolbar they share (issue 10, item 9). Rows are plain
 * elements in the list's shadow root, keyed by id (a row moves with its message, keeping
 * focus) and reconciled by hand rather than with Lit's `repeat`: the list only appends and
 * drops from the top, and the directive would cost 0.8 KB of the bundle budget. A row is
 * rendered again only when what it shows changed.
 *
 * One toolbar (react, reply, hide; the moderation menu for hosts and moderators) shows in the
 * row the pointer is over or focus is in; hovering and focus render the two rows concerned at
 * once, not at the list's next render. The list binds the `on*` handlers on the rows' box:
 * one listener each for all rows (a button's `data-act` says what it does).
 */
export class MessageRowsController {
  /** The key of the row that shows the toolbar (hovered or focused). */
  #active?: string;
  /** The key of the row whose reaction picker is open. */
  #picking?: string;
  #box?: Element;

  /**
   * @param host The list.
   * @param context What a row shows besides its message and the toolbar (likes, reactions, time, language…).
   */
  constructor(
    private readonly host: LcElement,
    private readonly context: (key: string, message: Message) => RowContext,
  ) {}

  /**
   * Puts one row per item into `box`, in order: rows of messages that left go first, so the
   * ones that stay are not moved (a move would drop focus), then new ones go in.
   * @param me The user, for the `mention` part.
   */
  sync(box: Element, items: Item[], me: UserRef | undefined): void {
    this.#box = box;
    const keys = new Set(items.map((i) => i.key));
    const old = new Map<string, Row>();
    for (const node of [...box.children] as Row[]) {
      if (keys.has(node.dataset.id!)) old.set(node.dataset.id!, node);
      else node.remove();
    }
    let at = box.firstElementChild;
    for (const item of items) {
      const { key, message, pending } = item;
      let row = old.get(key);
      if (!row) {
        row = document.createElement('div');
        row.className = 'msg';
        row.dataset.id = key;
      }
      // Only what changed is written: once per render over 200 rows, an unchanged attribute still costs.
      if (row.item?.message !== message || row.mentionOf !== me?.name) {
        // A message that mentions me: part="message mention" (highlighted, counted in the pill).
        const mention = !!me && !pending && !message.deleted && message.user.id !== me.id && mentions(message.text, me.name);
        row.mentionOf = me?.name;
        row.setAttribute('part', mention ? 'message mention' : 'message');
        if (pending) delete row.dataset.seq;
        else row.dataset.seq = String(message.seq);
        row.toggleAttribute('data-deleted', !!message.deleted);
      }
      if (row.item?.pending !== pending) row.toggleAttribute('data-pending', !!pending);
      row.item = item;
      this.#paint(row);
      if (row === at) at = at.nextElementSibling;
      else box.insertBefore(row, at);
    }
  }

  /** The row of `key`, when it is in the list. */
  row(key: string | undefined): HTMLElement | null {
    return key === undefined ? null : (this.#box?.querySelector<HTMLElement>(`:scope > [data-id="${CSS.escape(key)}"]`) ?? null);
  }

  /** Renders a row's message into it, when what it shows changed. */
  #paint(row: Row): void {
    const { key, message, pending } = row.item!;
    const state: RowState = { message, pending, active: this.#active === key, picking: this.#picking === key, ...this.context(key, message) };
    if (sameRow(row.state, state)) return;
    row.state = state;
    render(messageRow(state, this.host.stores), row);
  }

  /** Sets which row's `key` shows the toolbar (or the picker), and renders both rows at once (focus may be on its way there). */
  #set(which: 'active' | 'picking', key: string | undefined): void {
    const was = which === 'active' ? this.#active : this.#picking;
    if (was === key) return;
    if (which === 'active') this.#active = key;
    else this.#picking = key;
    for (const row of [this.row(was), this.row(key)]) if (row) this.#paint(row);
  }

  /**
   * Whether the toolbar stays where it is whatever the pointer does: while the keyboard is on its
   * react, reply or hide button (`:focus-visible`), or focus is in an open moderation menu or its
   * reason form. After a click, the pointer takes the toolbar along.
   */
  get #held(): boolean {
    let at = (this.host.renderRoot as ShadowRoot).activeElement;
    if (at?.closest('.bar')) return at.matches(':focus-visible');
    while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
    return !!at?.closest('[role=menu], form');
  }

  /** The pointer over a row shows its toolbar, unless the toolbar is held elsewhere. */
  onPointerOver = (e: Event): void => {
    const row = (e.target as Element).closest<Row>('.msg');
    if (row && !this.#held) this.#set('active', row.dataset.id);
  };

  /** The pointer left the list: no toolbar, unless focus is in its row. */
  onPointerLeave = (): void => {
    if (!this.row(this.#active)?.matches(':focus-within')) this.#set('active', undefined);
  };

  onFocusIn = (e: FocusEvent): void => {
    this.#set('active', (e.target as Element).closest<Row>('.msg')?.dataset.id);
  };

  /** Focus left: no toolbar, unless the pointer is over its row. Checked a task later: focus may be on its way back into the row (a closing menu gives it to its button). */
  onFocusOut = (): void => {
    setTimeout(() => {
      if (!this.row(this.#active)?.matches(':focus-within, :hover')) this.#set('active', undefined);
    });
  };

  /** Every button of every row: one listener, the button's `data-act` says what it does. */
  onClick = (e: Event): void => {
    const button = (e.target as Element).closest<HTMLElement>('[data-act]');
    const item = button?.closest<Row>('.msg')?.item;
    const stores = this.host.stores;
    if (!item || !stores) return;
    const { key, message: m } = item;
    const act = button!.dataset.act;
    if (act === 'like') void stores.actions.like(m.id);
    else if (act === 'react') {
      this.#set('picking', undefined);
      void stores.actions.react(m.id, button!.dataset.r as Reaction);
    } else if (act === 'pick') this.#set('picking', this.#picking === key ? undefined : key);
    else if (act === 'reply') stores.ui.replyTo(m);
    else if (act === 'hide') stores.hidden.hide(m.user);
    else if (act === 'quote') this.#toOriginal(m.replyTo!.id);
  };

  /** The toolbar (react, reply, hide, like) is one tab stop: arrow keys move inside it. */
  onKeyDown = (e: KeyboardEvent): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const buttons = [...((e.target as Element).closest('.tools')?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    if (!step || at < 0) return;
    buttons[(at + (getComputedStyle(this.host).direction === 'rtl' ? -step : step) + buttons.length) % buttons.length]!.focus();
    e.preventDefault();
  };

  /** Activating a reply's quote scrolls to the original, when it is loaded, and focuses it. */
  #toOriginal(id: string): void {
    const original = this.row(id);
    if (!original) return;
    original.tabIndex = -1;
    original.scrollIntoView({ block: 'center' });
    original.focus();
  }
}
