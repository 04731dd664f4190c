import { css, html, nothing } from 'lit';
import { define, LcElement } from './base-element.ts';
import { base } from './shared.styles.ts';

/**
 * Who is typing, above the composer (issue 10, "Typing"): "Ana is typing…" for one other
 * person, "Several people are typing…" for more, nothing when only I am, and nothing at all in
 * a large room (viewers over the join ack's `limits.smallRoomLimit`), where the server sends
 * no `typing` either. Not a live region: it would talk over the chat.
 *
 * @summary The typing indicator.
 * @csspart typing - The line ("Ana is typing…").
 */
export class LcTyping extends LcElement {
  #typing = this.watch((s) => s.room.$typing);
  #limit = this.watch((s) => s.room.$smallRoomLimit);
  #stats = this.watch((s) => s.stats.$stats);
  #me = this.watch((s) => s.me.$me);

  static override styles = [
    base,
    css`:host{display:block}p{margin:0;padding:0 12px 2px;color:var(--lc-color-muted);font-size:12px;font-style:italic}`,
  ];

  override render() {
    const { t } = this.locale;
    const me = this.#me.value?.user.id;
    const others = (this.#typing.value ?? []).filter((u) => u.id !== me);
    const small = (this.#stats.value?.viewers ?? 0) <= (this.#limit.value ?? Infinity);
    if (!others.length || !small) return nothing;
    return html`<p part="typing" dir="auto">${others.length === 1 ? t.typing(others[0]!.name) : t.typingMany}</p>`;
  }
}

define('lc-typing', LcTyping);

declare global {
  interface HTMLElementTagNameMap {
    'lc-typing': LcTyping;
  }
}
