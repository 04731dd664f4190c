import { html, nothing } from 'lit';
import type { LeaderboardEntry } from 'live-chat-protocol';
import { avatar, avatarStyles } from './avatar.ts';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';
import { styles } from './lc-leaderboard.styles.ts';
import { base } from './shared.styles.ts';

/** ms a row keeps its "earned" glow / "+1" and its up-arrow after a change. */
const HOLD_MS = 2400;
/** ms of the slide of a row to its new place. */
const SLIDE_MS = 500;

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The session leaderboard (issue 3): the top rows with rank, avatar, name, messages and
 * coins, the user's own row marked. When a row earns coins it glows and shows a floating
 * "+1"; when it climbs it slides to its new place (FLIP, with the Web Animations API) and
 * shows a green up-arrow. With `prefers-reduced-motion: reduce` nothing moves, but the
 * arrow and the "+1" still show.
 *
 * @summary The session's top chatters, animated.
 * @csspart leaderboard-row - Each row (`data-user-id`; `aria-current` on the user's own).
 * @csspart rank-up - The green arrow on a row that just climbed.
 * @csspart leaderboard-gain - The floating "+1" on a row that just earned.
 * @csspart close-button - Closes the panel (narrow layout).
 * @csspart avatar - Each row's avatar.
 * @cssproperty --lc-coin-color - The coin and the glow of an earning row.
 * @cssproperty --lc-color-success - The up-arrow.
 */
export class LcLeaderboard extends LcElement {
  static override properties = { limit: { type: Number } };

  /** How many rows to show, at most. */
  limit = 10;

  #entries = this.watch((s) => s.leaderboard.$leaderboard);
  #me = this.watch((s) => s.me.$me);
  #shown?: readonly LeaderboardEntry[];
  #previous = new Map<string, LeaderboardEntry>();
  #climbed = new Map<string, number>();
  #gained = new Map<string, { coins: number; until: number }>();
  #firstTops?: Map<string, number>;
  /** Users whose gain is new in this update (their glow and "+1" start over). */
  #fresh = new Set<string>();
  #clearTimer?: ReturnType<typeof setTimeout>;

  static override styles = [base, avatarStyles, styles];

  #rows(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('li')];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#clearTimer);
  }

  /** Before the DOM changes: where each row is (FLIP "first"), and who climbed or earned. */
  override willUpdate(): void {
    const entries = this.#entries.value ?? [];
    if (entries === this.#shown) return;
    const now = Date.now();
    this.#firstTops = new Map(this.#rows().map((r) => [r.dataset.userId!, r.getBoundingClientRect().top]));
    if (this.#shown?.length) {
      for (const e of entries) {
        const was = this.#previous.get(e.userId);
        if (!was || e.rank < was.rank) this.#climbed.set(e.userId, now + HOLD_MS);
        if (e.coins > (was?.coins ?? 0)) {
          this.#gained.set(e.userId, { coins: e.coins - (was?.coins ?? 0), until: now + HOLD_MS });
          this.#fresh.add(e.userId);
        }
      }
      clearTimeout(this.#clearTimer);
      this.#clearTimer = setTimeout(() => {
        this.#climbed.clear();
        this.#gained.clear();
        this.requestUpdate();
      }, HOLD_MS);
    }
    this.#previous = new Map(entries.map((e) => [e.userId, e]));
    this.#shown = entries;
  }

  /**
   * After: slide each moved row from its old place to its new one (FLIP "invert, play").
   * Rows are rendered by position, so a row element may now show someone else: the slide
   * starts from where that user was, and the glow and "+1" of a fresh gain restart.
   */
  override updated(): void {
    const first = this.#firstTops;
    this.#firstTops = undefined;
    if (!first) return;
    for (const row of this.#rows()) {
      if (this.#fresh.has(row.dataset.userId!)) row.getAnimations({ subtree: true }).forEach((a) => (a.currentTime = 0));
    }
    this.#fresh.clear();
    if (reducedMotion()) return;
    for (const row of this.#rows()) {
      const top = first.get(row.dataset.userId!);
      const dy = top === undefined ? 0 : top - row.getBoundingClientRect().top;
      if (Math.abs(dy) > 0.5) {
        row.animate([{ transform: `translateY(${dy}px)` }, { transform: 'none' }], { duration: SLIDE_MS, easing: 'cubic-bezier(.2,.8,.2,1)' });
      }
    }
  }

  override render() {
    const { t, compact } = this.locale;
    const me = this.#me.value?.user.id;
    const entries = (this.#entries.value ?? []).slice(0, this.limit);
    return html`<section aria-labelledby="h" tabindex="0">
      <h3 class="head" id="h">
        ${icons.trophy}<span>${t.leaderboard}</span>
        <button class="close" part="close-button" aria-label=${t.close} @click=${() => this.stores?.ui.togglePanel(false)}>
          ${icons.close}
        </button>
      </h3>
      ${entries.length
        ? html`<ol>
            ${entries.map((e) => {
                const mine = e.userId === me;
                const up = this.#climbed.has(e.userId);
                const gain = this.#gained.get(e.userId);
                return html`<li
                  part="leaderboard-row"
                  data-user-id=${e.userId}
                  class="${mine ? 'me' : ''} ${gain ? 'earned' : ''}"
                  aria-current=${mine ? 'true' : nothing}
                >
                  <span class="rank">${e.rank}</span>
                  ${avatar(e.userId, e.name, e.avatarUrl)}
                  <span class="who">
                    <span class="name"
                      ><span dir="auto">${e.name}</span>${mine ? html` <span class="you">(${t.you})</span>` : nothing}${up
                        ? html`<span class="up" part="rank-up" role="img" aria-label=${t.climbed}>▲</span>`
                        : nothing}</span
                    >
                    <span class="sub">${t.messagesCount(e.messages, compact(e.messages))}</span>
                  </span>
                  <span class="coins"><span class="sr">${t.coins(compact(e.coins))}</span><i class="gold" aria-hidden="true"></i><span aria-hidden="true">${compact(e.coins)}</span></span>
                  ${gain ? html`<span class="plus" part="leaderboard-gain" aria-hidden="true">+${gain.coins}</span>` : nothing}
                </li>`;
            })}
          </ol>`
        : html`<p class="none">${t.noLeaders}</p>`}
    </section>`;
  }
}

define('lc-leaderboard', LcLeaderboard);

declare global {
  interface HTMLElementTagNameMap {
    'lc-leaderboard': LcLeaderboard;
  }
}
