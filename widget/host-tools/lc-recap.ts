import { css, html, nothing, type PropertyValues } from 'lit';
import type { SessionRecap } from 'live-chat-protocol';
import { define, LcElement } from '../components/base-element.ts';
import { base, tokens } from '../components/shared.styles.ts';
import { createLocale, type Locale } from '../i18n/locale.ts';
import { hostStrings } from './host-strings.ts';
import { recapChart } from './recap-chart.ts';

/**
 * `<lc-recap>`: what happened during one session of a room (issue 9): peak and average
 * viewers, unique chatters, messages, hearts, XP and coins awarded; the per-minute timelines
 * of messages, viewers and hearts as an SVG chart in the theme's colours, with a table of the
 * same numbers for screen readers; and the top chatters.
 *
 * Hosts open it from the host tools' panel; a site can place it on its own page:
 * `<lc-recap server="https://chat.example.com" room="lobby" session="…"></lc-recap>` fetches
 * `GET /api/rooms/:roomId/sessions/:sessionId/recap` (readable by whoever may see the room;
 * set `token` for a private room), or set the `recap` property to a `SessionRecap` and it
 * fetches nothing. On a page of its own it reads the `--lc-*` tokens and `<html lang>`.
 *
 * @summary A session's numbers, timeline chart and top chatters.
 * @attr server - Base URL of the chat server.
 * @attr room - The room id.
 * @attr session - The session id.
 * @attr token - A JWT sent as `Authorization: Bearer` (private rooms).
 * @attr theme - `light` (default) or `dark`.
 * @prop {SessionRecap} recap - The recap to show; set it to skip the fetch.
 * @prop {() => Promise<string | null>} tokenProvider - Gives the token instead of `token`.
 * @csspart recap - The whole recap.
 * @csspart recap-chart - The SVG chart.
 * @csspart recap-table - The per-minute table (visually hidden: for screen readers).
 * @csspart recap-chatters - The top chatters table.
 * @cssproperty --lc-color-accent - The messages series.
 * @cssproperty --lc-color-success - The viewers series.
 * @cssproperty --lc-color-like - The hearts series.
 */
export class LcRecap extends LcElement {
  static override properties = {
    server: {},
    room: {},
    session: {},
    token: {},
    theme: { reflect: true },
    recap: { attribute: false },
    tokenProvider: { attribute: false },
    failed: { state: true },
  };

  server: string | null = null;
  room: string | null = null;
  session: string | null = null;
  token: string | null = null;
  theme: 'light' | 'dark' = 'light';
  /** The recap shown; fetched when `server`, `room` and `session` are set and this is not. */
  declare recap?: SessionRecap;
  declare tokenProvider?: () => Promise<string | null>;
  /** Set when the fetch failed. */
  protected failed = false;
  #fetched = '';

  static override styles = [tokens, base, css`
    :host { display: block; color-scheme: light; color: var(--lc-color-text); font-family: var(--lc-font); font-size: var(--lc-font-size); }
    :host([theme='dark']) { color-scheme: dark; }
    .recap { display: grid; gap: 12px; padding: 12px; border: 1px solid var(--lc-color-border); border-radius: var(--lc-radius-small); background: var(--lc-color-bg); }
    h2, h3 { margin: 0; font-size: 1em; }
    dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(110px, 1fr)); gap: 8px; margin: 0; }
    dl div { padding: 6px 8px; border-radius: 6px; background: var(--lc-color-surface); }
    dt { color: var(--lc-color-muted); font-size: 12px; }
    dd { margin: 0; font-size: 18px; font-weight: 700; font-variant-numeric: tabular-nums; }
    svg { display: block; inline-size: 100%; block-size: 168px; }
    table { border-collapse: collapse; inline-size: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: 3px 6px; border-block-end: 1px solid var(--lc-color-border); text-align: end; }
    th:first-child, td:first-child { text-align: start; }
    .muted { color: var(--lc-color-muted); margin: 0; }
  `];

  protected override get locale(): Locale {
    return this.stores ? super.locale : createLocale(this.closest<HTMLElement>('[lang]')?.lang || document.documentElement.lang || 'en');
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const key = `${this.server}|${this.room}|${this.session}`;
    if (this.server && this.room && this.session && key !== this.#fetched && (!this.recap || changed.has('session'))) {
      this.#fetched = key;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    this.failed = false;
    try {
      const token = this.tokenProvider ? await this.tokenProvider() : this.token;
      const url = new URL(`api/rooms/${encodeURIComponent(this.room!)}/sessions/${encodeURIComponent(this.session!)}/recap`, new URL(this.server!.replace(/\/?$/, '/'), location.href));
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`${res.status}`);
      this.recap = (await res.json()) as SessionRecap;
    } catch {
      this.failed = true;
    }
  }

  override render() {
    const h = hostStrings(this.locale);
    const { number, lang } = this.locale;
    const r = this.recap;
    if (!r) return html`<div class="recap" part="recap" aria-busy=${!this.failed}><p class="muted" role=${this.failed ? 'alert' : 'status'}>${this.failed ? h.failed : h.loading}</p></div>`;
    const time = (iso: string, style: 'short' | 'medium' = 'short') => new Date(iso).toLocaleTimeString(lang, { timeStyle: style });
    const stats: [string, number][] = [
      [h.peakViewers, r.peakViewers],
      [h.averageViewers, r.averageViewers],
      [h.chatters, r.uniqueChatters],
      [h.messages, r.messages],
      [h.hearts, r.hearts],
      [h.xp, r.xpAwarded],
      [h.coins, r.coinsAwarded],
    ];
    const busy = r.timeline.some((m) => m.messages || m.viewers || m.hearts);
    return html`<section class="recap" part="recap" aria-labelledby="title">
      <h2 id="title">${h.recap}</h2>
      <p class="muted">
        <time datetime=${r.startedAt}>${new Date(r.startedAt).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' })}</time>
        ${r.endedAt ? html`– <time datetime=${r.endedAt}>${time(r.endedAt)}</time>` : nothing}
      </p>
      <dl>${stats.map(([label, value]) => html`<div data-stat=${label}><dt>${label}</dt><dd>${number(value)}</dd></div>`)}</dl>
      ${busy
        ? html`<h3>${h.timeline}</h3>
            ${recapChart(r.timeline, { messages: h.messages, viewers: h.viewers, hearts: h.hearts })}
            <table class="sr" part="recap-table">
              <caption>${h.timeline}</caption>
              <thead><tr><th scope="col">${h.minute}</th><th scope="col">${h.messages}</th><th scope="col">${h.viewers}</th><th scope="col">${h.hearts}</th></tr></thead>
              <tbody>${r.timeline.map((m) => html`<tr><th scope="row"><time datetime=${m.minute}>${time(m.minute)}</time></th><td>${m.messages}</td><td>${m.viewers}</td><td>${m.hearts}</td></tr>`)}</tbody>
            </table>`
        : html`<p class="muted">${h.noActivity}</p>`}
      ${r.topChatters.length
        ? html`<table part="recap-chatters">
            <caption class="sr">${h.topChatters}</caption>
            <thead><tr><th scope="col">${h.name}</th><th scope="col">${h.messages}</th><th scope="col">${h.coinsShort}</th><th scope="col">${h.xpShort}</th></tr></thead>
            <tbody>${r.topChatters.map((c) => html`<tr data-user-id=${c.userId}><th scope="row" dir="auto">${c.name}</th><td>${number(c.messages)}</td><td>${number(c.coins)}</td><td>${number(c.xp)}</td></tr>`)}</tbody>
          </table>`
        : nothing}
    </section>`;
  }
}

define('lc-recap', LcRecap);

declare global {
  interface HTMLElementTagNameMap {
    'lc-recap': LcRecap;
  }
}
