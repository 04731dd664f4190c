import { css, html, nothing } from 'lit';
import { isStaff } from '../state/staff.ts';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';

/**
 * The message staff pinned (`room.pinned`, from the join ack and `room:updated`), above the
 * list for everyone; hosts and moderators also get an unpin button (`room:pin` with
 * `messageId: null`). Renders nothing when no message is pinned.
 *
 * @summary The pinned message.
 * @csspart pinned - The pinned message's box.
 * @csspart unpin-button - Unpins (hosts and moderators only).
 */
export class LcPinned extends LcElement {
  #room = this.watch((s) => s.room.$room);
  #me = this.watch((s) => s.me.$me);

  static override styles = css`
    div { display: flex; gap: 8px; align-items: center; padding: 6px var(--lc-space); border-block-end: 1px solid var(--lc-color-border); background: var(--lc-color-surface); }
    p { flex: 1; margin: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    b { margin-inline-end: 6px; }
    button { display: flex; padding: 2px; border: 0; background: none; color: var(--lc-color-muted); cursor: pointer; }
    svg { width: 16px; fill: currentColor; }
  `;

  override render() {
    const m = this.#room.value?.pinned;
    if (!m) return nothing;
    const { t } = this.locale;
    return html`<div part="pinned" role="note" aria-label=${t.pinned}>
      <p dir="auto" title=${m.text}><b>📌 ${m.user.name}</b>${m.text}</p>
      ${isStaff(this.#me.value?.user)
        ? html`<button part="unpin-button" aria-label=${t.unpin} @click=${() => this.stores!.actions.request('room:pin', { messageId: null })}>${icons.close}</button>`
        : nothing}
    </div>`;
  }
}

define('lc-pinned', LcPinned);

declare global {
  interface HTMLElementTagNameMap {
    'lc-pinned': LcPinned;
  }
}
