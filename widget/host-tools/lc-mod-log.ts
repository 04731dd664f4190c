import { css, html, nothing } from 'lit';
import type { ModerationEntry } from 'live-chat-protocol';
import { define, LcElement } from '../components/base-element.ts';
import { base } from '../components/shared.styles.ts';
import { hostStrings } from './host-strings.ts';
import { hostRequest } from './request.ts';

/** Entries the log shows, newest first. */
export const LOG_LIMIT = 30;

/**
 * The room's moderation log for hosts and moderators (part of the host-tools chunk), inside
 * the room controls: the last {@link LOG_LIMIT} entries of `GET
 * /api/rooms/:roomId/moderation` (who did what to whom, when, why), newest first, and an
 * Unban button on a ban that no later unban undid (`mod:unban`). Fetched when shown and after
 * an unban; the panel gives it the chat's `server` and token.
 *
 * @summary Who did what, and unban.
 * @attr server - Base URL of the chat server.
 * @attr room - The room id.
 * @prop {ModerationEntry[]} entries - The entries shown; set it to skip the fetch.
 * @csspart mod-log - The list of entries.
 */
export class LcModLog extends LcElement {
  static override properties = { server: {}, room: {}, token: { attribute: false }, tokenProvider: { attribute: false }, entries: { attribute: false }, failed: { state: true } };

  server = '';
  room = '';
  declare token?: string | null;
  declare tokenProvider?: () => Promise<string | null>;
  /** The entries shown, newest first (undefined while loading); set it to skip the fetch. */
  declare entries?: ModerationEntry[];
  /** True when the log could not be loaded: an error line replaces the list. */
  protected failed = false;
  #messages = this.watch((s) => s.messages.$messages);

  static override styles = [base, css`
    :host { display: block; grid-column: 1 / -1; }
    ol { display: grid; gap: 4px; margin: 0; padding: 0; list-style: none; max-block-size: 200px; overflow: auto; }
    li { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
    time, .reason { color: var(--lc-color-muted); }
    button { padding: 2px 8px; border: 1px solid var(--lc-color-border); border-radius: 6px; background: var(--lc-color-bg); color: var(--lc-color-text); font: inherit; cursor: pointer; }
    p { margin: 0; color: var(--lc-color-muted); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.entries) void this.load();
  }

  /** Fetches the log again. */
  async load(): Promise<void> {
    this.failed = false;
    try {
      const token = this.tokenProvider ? await this.tokenProvider() : this.token;
      const url = new URL(`api/rooms/${encodeURIComponent(this.room)}/moderation?limit=${LOG_LIMIT}`, new URL(this.server.replace(/\/?$/, '/'), location.href));
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`${res.status}`);
      this.entries = ((await res.json()) as { entries: ModerationEntry[] }).entries;
    } catch {
      this.failed = true;
    }
  }

  async #unban(userId: string): Promise<void> {
    if (await hostRequest(this, 'mod:unban', { userId })) await this.load();
  }

  override render() {
    const h = hostStrings(this.locale);
    const list = this.entries;
    if (!list) return html`<p role=${this.failed ? 'alert' : 'status'}>${this.failed ? h.logFailed : h.loading}</p>`;
    if (!list.length) return html`<p>${h.logEmpty}</p>`;
    const names = new Map((this.#messages.value ?? []).map((m) => [m.user.id, m.user.name]));
    // Newest first: a ban is still in force when no unban of that user came after it.
    const lifted = new Set<string>();
    const open = new Set<ModerationEntry>();
    for (const e of list) {
      if (e.action === 'unban' && e.targetUserId) lifted.add(e.targetUserId);
      if (e.action === 'ban' && e.targetUserId && !lifted.has(e.targetUserId)) open.add(e);
    }
    return html`<ol part="mod-log" aria-label=${h.log}>
      ${list.map((e) => {
        const whom = e.targetUserId ? names.get(e.targetUserId) ?? e.targetUserId : null;
        return html`<li data-action=${e.action}>
          <time datetime=${e.at}>${new Date(e.at).toLocaleTimeString(this.locale.lang, { timeStyle: 'short' })}</time>
          <span dir="auto">${h.logLine(e.actor.name, h.actions_[e.action], whom)}</span>
          ${e.reason ? html`<span class="reason" dir="auto">“${e.reason}”</span>` : nothing}
          ${open.has(e) ? html`<button @click=${() => this.#unban(e.targetUserId!)}>${h.unban}</button>` : nothing}
        </li>`;
      })}
    </ol>`;
  }
}

define('lc-mod-log', LcModLog);

declare global {
  interface HTMLElementTagNameMap {
    'lc-mod-log': LcModLog;
  }
}
