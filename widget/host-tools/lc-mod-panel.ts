import { css, html, nothing } from 'lit';
import { chatWindowState } from 'live-chat-protocol';
import { define, LcElement } from '../components/base-element.ts';
import { base } from '../components/shared.styles.ts';
import { hostStrings } from './host-strings.ts';
import './lc-mod-log.ts';
import './lc-recap.ts';
import { hostRequest } from './request.ts';

/** Slow-mode choices, in seconds (0: off). */
export const SLOW_MODE_SECONDS = [0, 5, 10, 30, 60] as const;

/** `datetime-local` value (local time, minutes) of an ISO instant; '' for null. */
const toLocalInput = (iso: string | null): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
/** ISO instant of a `datetime-local` value (read as local time); null for ''. */
const fromLocalInput = (value: string): string | null => (value ? new Date(value).toISOString() : null);

/** What the panel needs from the `<live-chat>` around it to fetch a recap. */
interface ChatHost extends HTMLElement {
  server?: string | null;
  token?: string | null;
  tokenProvider?: () => Promise<string | null>;
}

/**
 * The room controls of hosts and moderators, above the messages (part of the host-tools
 * chunk, which viewers never load). A toggle button opens it; inside: the title, slow mode
 * (off, 5, 10, 30, 60 s), the chat window (open now, close now, or set when it opens and
 * closes), the session (start, end: the leaderboard starts over) and the recap of the
 * current or last session (`<lc-recap>`), and the moderation log with unban (`<lc-mod-log>`). Every change goes out as `room:update`,
 * `session:start` or `session:end`; viewers see it at once from the server's broadcasts.
 * Refusals fire `lc-error` (`source: 'moderate'`) and show in the toast.
 *
 * @summary Room controls for hosts and moderators.
 * @csspart mod-panel-toggle - The button that opens and closes the panel.
 * @csspart recap - The `<lc-recap>` opened from the panel.
 */
export class LcModPanel extends LcElement {
  static override properties = { expanded: { state: true }, recapOpen: { state: true }, logOpen: { state: true } };

  /** Whether the panel is open. */
  protected expanded = false;
  /** Whether the recap is shown. */
  protected recapOpen = false;
  /** Whether the moderation log is shown. */
  protected logOpen = false;
  #room = this.watch((s) => s.room.$room);
  #session = this.watch((s) => s.room.$session);
  /** The last session seen, so its recap stays reachable after it ends. */
  #lastSessionId?: string;
  #ticker?: ReturnType<typeof setInterval>;

  static override styles = [base, css`
    :host { display: block; border-block-end: 1px solid var(--lc-color-border); background: var(--lc-color-surface); font-size: 13px; }
    .toggle { display: flex; inline-size: 100%; align-items: center; justify-content: space-between; padding: 6px var(--lc-space); border: 0; background: none; color: var(--lc-color-text); font: inherit; font-weight: 650; cursor: pointer; }
    .toggle::after { content: '▾'; }
    .toggle[aria-expanded='true']::after { content: '▴'; }
    .body { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 10px 18px; align-items: start; max-block-size: 45vh; overflow: auto; padding: 4px var(--lc-space) 12px; }
    lc-recap { grid-column: 1 / -1; }
    fieldset { display: flex; flex-wrap: wrap; align-items: end; gap: 6px; margin: 0; padding: 0; border: 0; }
    legend { padding: 0 0 4px; color: var(--lc-color-muted); font-weight: 650; }
    label { display: grid; gap: 2px; color: var(--lc-color-muted); font-size: 12px; }
    input, select, button.act { padding: 4px 8px; border: 1px solid var(--lc-color-border); border-radius: 6px; background: var(--lc-color-bg); color: var(--lc-color-text); font: inherit; }
    input[name='title'] { min-inline-size: 12em; }
    button.act { cursor: pointer; }
    button.act:disabled { opacity: 0.5; cursor: default; }
    .state { flex-basis: 100%; margin: 0; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => this.expanded && this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  #update(change: { title?: string; slowModeSeconds?: number; opensAt?: string | null; closesAt?: string | null }) {
    return hostRequest(this, 'room:update', change);
  }

  #saveTitle(e: SubmitEvent): void {
    e.preventDefault();
    const title = (new FormData(e.target as HTMLFormElement).get('title') as string).trim();
    if (title && title !== this.#room.value?.title) void this.#update({ title });
  }

  #saveWindow(e: SubmitEvent): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    void this.#update({ opensAt: fromLocalInput(data.get('opensAt') as string), closesAt: fromLocalInput(data.get('closesAt') as string) });
  }

  #chatHost(): ChatHost | undefined {
    const root = this.getRootNode();
    return root instanceof ShadowRoot ? (root.host as ChatHost) : undefined;
  }

  override render() {
    const room = this.#room.value;
    if (!room) return nothing;
    const last = this.#session.value;
    if (last) this.#lastSessionId = last.id;
    // A session that ended may stay in the store (with `endedAt`) until the next starts.
    const session = last && !last.endedAt ? last : null;
    const h = hostStrings(this.locale);
    const { countdown } = this.locale;
    const now = Date.now();
    const window = chatWindowState({ opensAt: room.opensAt ? Date.parse(room.opensAt) : null, closesAt: room.closesAt ? Date.parse(room.closesAt) : null }, now);
    const windowText = window.open ? h.open : 'opensInMs' in window ? this.locale.t.opensIn(countdown(window.opensInMs)) : h.closed;
    const host = this.#chatHost();
    return html`<button class="toggle" part="mod-panel-toggle" aria-expanded=${this.expanded} aria-controls="body" @click=${() => (this.expanded = !this.expanded)}>${h.panel}</button>
      ${this.expanded
        ? html`<div class="body" id="body">
            <form @submit=${this.#saveTitle}>
              <fieldset>
                <label>${h.title}<input name="title" .value=${room.title} maxlength="120" required /></label>
                <button class="act">${h.save}</button>
              </fieldset>
            </form>
            <label>${h.slowMode}
              <select @change=${(e: Event) => void this.#update({ slowModeSeconds: Number((e.target as HTMLSelectElement).value) })}>
                ${SLOW_MODE_SECONDS.map((s) => html`<option value=${s} ?selected=${room.slowModeSeconds === s}>${s ? h.seconds(s) : h.off}</option>`)}
                ${SLOW_MODE_SECONDS.includes(room.slowModeSeconds as never) ? nothing : html`<option selected value=${room.slowModeSeconds}>${h.seconds(room.slowModeSeconds)}</option>`}
              </select>
            </label>
            <form @submit=${this.#saveWindow}>
              <fieldset>
                <legend>${h.chat}</legend>
                <p class="state" role="status">${windowText}</p>
                <button type="button" class="act" ?disabled=${window.open && !room.closesAt && !room.opensAt} @click=${() => void this.#update({ opensAt: null, closesAt: null })}>${h.openNow}</button>
                <button type="button" class="act" ?disabled=${'closed' in window} @click=${() => void this.#update({ closesAt: new Date().toISOString() })}>${h.closeNow}</button>
                <label>${h.opensAt}<input type="datetime-local" name="opensAt" .value=${toLocalInput(room.opensAt)} /></label>
                <label>${h.closesAt}<input type="datetime-local" name="closesAt" .value=${toLocalInput(room.closesAt)} /></label>
                <button class="act">${h.saveWindow}</button>
              </fieldset>
            </form>
            <fieldset>
              <legend>${h.session}</legend>
              <p class="state">${session ? h.sessionSince(new Date(session.startedAt).toLocaleTimeString(this.locale.lang, { timeStyle: 'short' })) : h.noSession}</p>
              <button class="act" ?disabled=${!!session} @click=${() => void hostRequest(this, 'session:start', {})}>${h.startSession}</button>
              <button class="act" ?disabled=${!session} @click=${() => void hostRequest(this, 'session:end', {})}>${h.endSession}</button>
              <button class="act" aria-expanded=${this.recapOpen} ?disabled=${!this.#lastSessionId} @click=${() => (this.recapOpen = !this.recapOpen)}>
                ${this.recapOpen ? h.hideRecap : h.showRecap}
              </button>
              <button class="act" aria-expanded=${this.logOpen} @click=${() => (this.logOpen = !this.logOpen)}>${this.logOpen ? h.hideLog : h.showLog}</button>
            </fieldset>
            ${this.logOpen
              ? html`<lc-mod-log .stores=${this.stores} server=${host?.server ?? ''} room=${room.id} .token=${host?.token ?? null} .tokenProvider=${host?.tokenProvider}></lc-mod-log>`
              : nothing}
            ${this.recapOpen && this.#lastSessionId
              ? html`<lc-recap part="recap" .stores=${this.stores} server=${host?.server ?? ''} room=${room.id} session=${this.#lastSessionId}
                  .token=${host?.token ?? null} .tokenProvider=${host?.tokenProvider}></lc-recap>`
              : nothing}
          </div>`
        : nothing}`;
  }
}

define('lc-mod-panel', LcModPanel);

declare global {
  interface HTMLElementTagNameMap {
    'lc-mod-panel': LcModPanel;
  }
}
