import { css, html, nothing } from 'lit';
import type { Message } from 'live-chat-protocol';
import { define, LcElement } from '../components/base-element.ts';
import { base } from '../components/shared.styles.ts';
import { hostStrings } from './host-strings.ts';
import { hostRequest } from './request.ts';

/** Timeout lengths the menu offers, in seconds: 1 min, 10 min, 1 h, 24 h. */
export const TIMEOUT_SECONDS = [60, 600, 3600, 86_400] as const;

/** About the height of the open menu, in px: where it opens depends on the room for it. */
const MENU_PX = 240;

/** A menu choice that asks for a reason first. */
type Pending = { kind: 'timeout'; seconds: number; label: string } | { kind: 'ban'; label: string };

/**
 * The moderation menu of one message, for hosts and moderators (part of the host-tools chunk,
 * which viewers never load). A menu button (`aria-haspopup="menu"`) opens a `role="menu"`:
 * delete, pin (or unpin), time out for 1 min / 10 min / 1 h / 24 h, ban from the room. A
 * timeout or a ban asks for an optional reason (≤ 200 characters, shown to the user) first.
 *
 * Keyboard: Enter, Space or ArrowDown on the button opens the menu on its first item, ArrowUp
 * on its last; ArrowUp / ArrowDown / Home / End move; Escape closes and returns focus to the
 * button; Tab closes. Refusals fire `lc-error` (`source: 'moderate'`) and show in the toast.
 *
 * @summary Delete, pin, time out or ban, from the message.
 * @csspart menu-button - The "⋯" button.
 * @csspart menu - The open menu; its items are `menu-item`.
 * @csspart menu-item - Each item.
 * @csspart reason-form - The reason form of a timeout or ban.
 */
export class LcMessageActions extends LcElement {
  static override properties = { message: { attribute: false }, open: { state: true }, pending: { state: true } };

  /** The message the menu acts on. */
  declare message?: Message;
  /** Whether the menu is open. */
  protected open = false;
  /** The timeout or ban waiting for its reason. */
  protected pending: Pending | null = null;
  #room = this.watch((s) => s.room.$room);
  /** Whether the menu and form open above the button. */
  #up = false;

  static override styles = [base, css`
    :host { position: relative; display: inline-block; margin-inline-start: auto; }
    .trigger { inline-size: 24px; block-size: 20px; padding: 0; border: 0; border-radius: 6px; background: none; color: var(--lc-color-muted); font: inherit; font-size: 16px; line-height: 1; cursor: pointer; }
    .trigger:hover, .trigger[aria-expanded='true'] { background: var(--lc-color-surface); color: var(--lc-color-text); }
    .menu, form { position: absolute; inset-inline-end: 0; inset-block-start: 100%; z-index: 3; min-inline-size: 200px; padding: 4px; border: 1px solid var(--lc-color-border); border-radius: var(--lc-radius-small); background: var(--lc-color-bg); box-shadow: var(--lc-shadow); }
    .menu button { display: block; inline-size: 100%; padding: 6px 10px; border: 0; border-radius: 6px; background: none; color: var(--lc-color-text); font: inherit; text-align: start; cursor: pointer; }
    .menu button:hover, .menu button:focus-visible { background: var(--lc-color-surface); }
    .up .menu, .up form { inset-block-start: auto; inset-block-end: 100%; }
    .danger { color: var(--lc-color-danger) !important; }
    hr { margin: 4px 0; border: 0; border-block-start: 1px solid var(--lc-color-border); }
    form { display: grid; gap: 6px; padding: 10px; }
    label { display: grid; gap: 4px; color: var(--lc-color-muted); font-size: 12px; }
    input { padding: 6px 8px; border: 1px solid var(--lc-color-border); border-radius: 6px; background: var(--lc-color-surface); color: var(--lc-color-text); font: inherit; }
    .buttons { display: flex; gap: 6px; justify-content: flex-end; }
    .buttons button { padding: 4px 10px; border: 1px solid var(--lc-color-border); border-radius: 6px; background: var(--lc-color-bg); color: var(--lc-color-text); font: inherit; cursor: pointer; }
    .buttons button[type='submit'] { border-color: var(--lc-color-danger); background: var(--lc-color-danger); color: var(--lc-color-bg); }
  `];

  get #items(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  }

  /**
   * Whether the menu should open upwards: when the box it scrolls in (the message list) has
   * less room below the button than the menu needs ({@link MENU_PX}) and enough above.
   */
  #opensUp(): boolean {
    let node: Element | null = this;
    while (node && !/auto|scroll/.test(getComputedStyle(node).overflowY)) {
      node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
    }
    const box = node?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight };
    const at = this.getBoundingClientRect();
    // Downwards when neither side has room: what overflows below can still be scrolled to.
    return box.bottom - at.bottom < MENU_PX && at.top - box.top >= MENU_PX;
  }

  /** Opens the menu (upwards when there is no room below, see `#opensUp`) and focuses its first (or, with `last`, its last) item. */
  async show(last = false): Promise<void> {
    this.#up = this.#opensUp();
    this.open = true;
    this.pending = null;
    await this.updateComplete;
    this.#items.at(last ? -1 : 0)?.focus();
  }

  /** Closes the menu (and a reason form); `refocus` puts focus back on the menu button. */
  close(refocus = false): void {
    this.open = false;
    this.pending = null;
    if (refocus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.trigger')?.focus());
  }

  #onTriggerKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void this.show(e.key === 'ArrowUp');
    }
  }

  #onMenuKey(e: KeyboardEvent): void {
    const items = this.#items;
    const at = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      this.close(true);
    } else if (e.key === 'Tab') {
      this.close();
    }
  }

  /** Focus left the menu and its form (to elsewhere on the page): close. Checked a task later, once an item's own step (the reason form) has taken focus. */
  #onFocusOut(): void {
    setTimeout(() => {
      if ((this.open || this.pending) && !(this.renderRoot as ShadowRoot).activeElement) this.close();
    });
  }

  async #act(event: 'mod:delete' | 'room:pin'): Promise<void> {
    const m = this.message!;
    this.close(true);
    if (event === 'mod:delete') await hostRequest(this, 'mod:delete', { messageId: m.id });
    else await hostRequest(this, 'room:pin', { messageId: this.#room.value?.pinned?.id === m.id ? null : m.id });
  }

  async #ask(pending: Pending): Promise<void> {
    this.#up = this.#opensUp();
    this.open = false;
    this.pending = pending;
    await this.updateComplete;
    this.renderRoot.querySelector('input')?.focus();
  }

  async #confirm(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const pending = this.pending!;
    const reason = (new FormData(e.target as HTMLFormElement).get('reason') as string).trim();
    const userId = this.message!.user.id;
    this.close(true);
    const extra = reason ? { reason } : {};
    if (pending.kind === 'timeout') await hostRequest(this, 'mod:timeout', { userId, seconds: pending.seconds, ...extra });
    else await hostRequest(this, 'mod:ban', { userId, ...extra });
  }

  override render() {
    const m = this.message;
    if (!m) return nothing;
    const h = hostStrings(this.locale);
    const pinned = this.#room.value?.pinned?.id === m.id;
    const item = (label: string, click: () => void, danger = false) =>
      html`<button role="menuitem" part="menu-item" tabindex="-1" class=${danger ? 'danger' : ''} @click=${click}>${label}</button>`;
    return html`<div class=${this.#up ? 'up' : ''} @focusout=${this.#onFocusOut}>
      <button class="trigger" part="menu-button" aria-haspopup="menu" aria-expanded=${this.open} aria-label=${h.actions(m.user.name)}
        @click=${() => (this.open ? this.close(true) : void this.show())} @keydown=${this.#onTriggerKey}>⋯</button>
      ${this.open
        ? html`<div class="menu" part="menu" role="menu" aria-label=${h.actions(m.user.name)} @keydown=${this.#onMenuKey}>
            ${item(pinned ? h.unpin : h.pin, () => void this.#act('room:pin'))}
            ${item(h.delete, () => void this.#act('mod:delete'), true)}
            <hr role="separator" />
            ${TIMEOUT_SECONDS.map((seconds, i) => {
              const label = h.timeout(h.durations[i]!);
              return item(label, () => void this.#ask({ kind: 'timeout', seconds, label }));
            })}
            ${item(h.ban, () => void this.#ask({ kind: 'ban', label: h.ban }), true)}
          </div>`
        : nothing}
      ${this.pending
        ? html`<form part="reason-form" aria-label=${this.pending.label} @submit=${this.#confirm}
            @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), this.close(true))}>
            <label>${h.reason}<input name="reason" maxlength="200" autocomplete="off" /></label>
            <div class="buttons">
              <button type="button" @click=${() => this.close(true)}>${h.cancel}</button>
              <button type="submit">${this.pending.label}</button>
            </div>
          </form>`
        : nothing}
    </div>`;
  }
}

define('lc-message-actions', LcMessageActions);

declare global {
  interface HTMLElementTagNameMap {
    'lc-message-actions': LcMessageActions;
  }
}
