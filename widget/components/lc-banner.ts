import { html, nothing } from 'lit';
import { define, LcElement } from './base-element.ts';
import { styles } from './lc-banner.styles.ts';
import { base } from './shared.styles.ts';

/**
 * The connection banner: "Reconnecting…" (with how many messages wait in the outbox) while
 * the connection is lost, or what went wrong when it gave up (bad token, unknown room, no
 * `server` attribute). Hidden while all is well.
 *
 * @summary Connection problems, in one line.
 * @csspart banner - The banner (`data-status="reconnecting"` or `"error"`).
 * @cssproperty --lc-color-warning-bg - Background while reconnecting.
 * @cssproperty --lc-color-warning-text - Text while reconnecting.
 */
export class LcBanner extends LcElement {
  #connection = this.watch((s) => s.connection.$connection);
  #outbox = this.watch((s) => s.outbox.$outbox);

  static override styles = [base, styles];

  override render() {
    const { t } = this.locale;
    const c = this.#connection.value;
    if (c?.status !== 'reconnecting' && c?.status !== 'error') return html`<div role="status"></div>`;
    const queued = this.#outbox.value?.length;
    const text = c.status === 'reconnecting'
      ? `${t.reconnecting}${queued ? ` ${t.offline(queued)}` : ''}`
      : c.error?.code === 'invalid' ? t.noServer : this.locale.error(c.error ?? { code: 'internal', message: '' });
    return html`<div role=${c.status === 'error' ? 'alert' : 'status'}>
      <div class="banner ${c.status}" part="banner" data-status=${c.status}>
        ${c.status === 'reconnecting' ? html`<i class="spin" aria-hidden="true"></i>` : nothing}<span>${text}</span>
      </div>
    </div>`;
  }
}

define('lc-banner', LcBanner);

declare global {
  interface HTMLElementTagNameMap {
    'lc-banner': LcBanner;
  }
}
