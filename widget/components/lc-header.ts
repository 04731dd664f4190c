import { html, nothing } from 'lit';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';
import { styles } from './lc-header.styles.ts';
import { base } from './shared.styles.ts';

/**
 * The header: a live dot (red while connected), the room title, the viewer count and the
 * session's like count (compact numbers through `Intl`, e.g. 12.3K), and, in the narrow
 * layout, the button that opens the leaderboard panel.
 *
 * @summary Room title and live counts.
 * @csspart live - The live indicator.
 * @csspart title - The room title.
 * @csspart viewer-count - Viewers (occupancy).
 * @csspart like-count - Session likes.
 * @csspart leaderboard-toggle - Opens the leaderboard (narrow layout only).
 * @cssproperty --lc-color-live - The live indicator.
 */
export class LcHeader extends LcElement {
  static override properties = { leaderboard: { type: Boolean } };

  /** Whether to offer the leaderboard toggle (when the leaderboard is not hidden). */
  leaderboard = false;

  #room = this.watch((s) => s.room.$room);
  #stats = this.watch((s) => s.stats.$stats);
  #connection = this.watch((s) => s.connection.$connection);
  #open = this.watch((s) => s.ui.$panelOpen);

  static override styles = [base, styles];

  /** Puts focus back on the leaderboard toggle (after Escape closes the panel). */
  focusToggle(): void {
    this.renderRoot.querySelector('button')?.focus();
  }

  override render() {
    const { t, compact } = this.locale;
    const stats = this.#stats.value;
    const live = this.#connection.value?.status === 'online';
    const stat = (part: string, icon: unknown, label: string, n = 0) =>
      html`<span class="stat" part=${part}><span role="img" aria-label=${label}>${icon}</span>${compact(n)}</span>`;
    return html`<header class="bar">
      <span class="live ${live ? 'on' : ''}" part="live"><i></i><span class="label">${t.live}</span></span>
      <h2 class="title" part="title">${this.#room.value?.title ?? t.chat}</h2>
      ${stat('viewer-count', icons.eye, t.viewersLabel, stats?.viewers)}
      ${stat('like-count', icons.heart, t.likesLabel, stats?.likes)}
      ${this.leaderboard
        ? html`<button
            class="toggle"
            part="leaderboard-toggle"
            aria-label=${t.leaderboard}
            aria-expanded=${!!this.#open.value}
            @click=${() => this.stores?.ui.togglePanel()}
          >
            ${icons.trophy}
          </button>`
        : nothing}
    </header>`;
  }
}

define('lc-header', LcHeader);

declare global {
  interface HTMLElementTagNameMap {
    'lc-header': LcHeader;
  }
}
