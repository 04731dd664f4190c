import { html, nothing } from 'lit';
import { define, LcElement } from './base-element.ts';
import { styles } from './lc-toast.styles.ts';
import { base } from './shared.styles.ts';

/** ms a toast stays. */
const SHOW_MS = 4000;

/**
 * A short notice over the chat, above the composer, such as the level-up toast ("Level 5!"). It is announced
 * politely (`role="status"`), does not take focus, and goes after 4 s (or on Escape).
 *
 * @summary Level-up and other short notices.
 * @csspart toast - The notice.
 * @cssproperty --lc-toast-bg - Its background (a gradient by default).
 * @cssproperty --lc-toast-text-color - Its text.
 */
export class LcToast extends LcElement {
  #toast = this.watch((s) => s.ui.$toast);
  #timer?: ReturnType<typeof setTimeout>;
  #shownId?: number;

  static override styles = [base, styles];

  override updated(): void {
    const toast = this.#toast.value;
    if (!toast || toast.id === this.#shownId) return;
    this.#shownId = toast.id;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.stores?.ui.dismissToast(toast.id);
    }, SHOW_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#shownId = undefined;
  }

  override render() {
    const toast = this.#toast.value;
    return html`<div role="status">${toast ? html`<div class="toast" part="toast"><span aria-hidden="true">🎉</span><bdi>${toast.text}</bdi></div>` : nothing}</div>`;
  }
}

define('lc-toast', LcToast);

declare global {
  interface HTMLElementTagNameMap {
    'lc-toast': LcToast;
  }
}
