import { html, nothing } from 'lit';
import { charCount, composerMode, COUNTER_FROM, restrictionAt } from '../state/composer.ts';
import { isStaff } from '../state/staff.ts';
import { mentionQuery, recentChatters } from '../state/mentions.ts';
import { define, LcElement } from './base-element.ts';
import { icons } from './icons.ts';
import { styles } from './lc-composer.styles.ts';
import { base } from './shared.styles.ts';

/**
 * The composer: the input (Enter sends), a character counter near the 2000-character limit,
 * the heart button (session likes) and the send button; a status line for the chat window
 * ("Chat opens in 12:34", "Chat has closed"), guests ("Sign in to chat"), the connection,
 * and errors ("Try again in 12 s"); and the user's XP: level, progress to the next level,
 * and chat XP today against the daily cap ("32 / 50 XP today").
 *
 * While reconnecting, the input stays usable: messages wait in the outbox, shown as pending.
 *
 * @summary Where the user writes.
 * @slot sign-in - Shown to guests who cannot post, e.g. the site's sign-in button.
 * @csspart input - The text input. Typing `@` opens the suggestion list of recent chatters (↑ ↓, Enter or Tab, Escape).
 * @csspart mention-list - The `@` suggestion list (`role="listbox"`).
 * @csspart mention-option - A name in it (`aria-selected` on the highlighted one).
 * @csspart reply-preview - "Replying to Ana: …" above the input while answering a message.
 * @csspart cancel-reply - Its close button (a plain message again).
 * @csspart char-counter - Characters left, shown near the limit.
 * @csspart heart-button - Sends a heart to the room.
 * @csspart send-button - Sends the message.
 * @csspart composer-status - The status line: window, guest, connection, or error (`role="alert"`).
 * @csspart slow-mode-countdown - In slow mode, after a send: "you can send again in 0:07" (staff are exempt).
 * @csspart xp - Level, level progress and XP today (signed-in users).
 * @cssproperty --lc-color-accent - The send button and the XP bar.
 */
export class LcComposer extends LcElement {
  #room = this.watch((s) => s.room.$room);
  #maxLength = this.watch((s) => s.room.$maxLength);
  #me = this.watch((s) => s.me.$me);
  #connection = this.watch((s) => s.connection.$connection);
  #outbox = this.watch((s) => s.outbox.$outbox);
  #draft = this.watch((s) => s.ui.$draft);
  #error = this.watch((s) => s.ui.$composerError);
  #replyTo = this.watch((s) => s.ui.$replyTo);
  #messages = this.watch((s) => s.messages.$messages);
  /** The highlighted suggestion of the `@` list. */
  #pick = 0;
  /** The query whose list Escape closed (it stays closed until the query changes). */
  #dismissed: string | null = null;

  /** Names the `@` being typed may complete to (recent chatters), or [] when there is no list. */
  #suggestions() {
    const query = mentionQuery(this.#draft.value ?? '');
    if (query === null || query === this.#dismissed) return [];
    return recentChatters(this.#messages.value ?? [], this.#me.value?.user.id, query);
  }

  /** Replaces the `@query` at the end of the draft by `@Name `. */
  #complete(name: string): void {
    const draft = this.#draft.value ?? '';
    this.stores?.ui.setDraft(draft.replace(/@[^\s@]*$/u, `@${name} `));
    this.#pick = 0;
    this.renderRoot.querySelector('input')?.focus();
  }

  /** The `@` list's keys: ↑ ↓ move, Enter or Tab take the name, Escape closes it. */
  #keydown(e: KeyboardEvent): void {
    const list = this.#suggestions();
    if (!list.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.#pick = (this.#pick + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length;
      this.requestUpdate();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      this.#complete(list[Math.min(this.#pick, list.length - 1)]!.name);
    } else if (e.key === 'Escape') {
      this.#dismissed = mentionQuery(this.#draft.value ?? '');
      this.requestUpdate();
      e.stopPropagation();
    } else return;
    e.preventDefault();
  }
  #ticker?: ReturnType<typeof setInterval>;
  /** ms since epoch of the user's last send from this composer (the slow-mode countdown). */
  #sentAt = 0;

  static override styles = [base, styles];

  /** Moves keyboard focus to the input. */
  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  /** Re-renders every second: countdowns and "try again in N s" stay current. */
  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  #submit(e: Event): void {
    e.preventDefault();
    if (!this.stores?.actions.send(this.#draft.value ?? '', this.#replyTo.value?.id)) return;
    this.stores.ui.setDraft('');
    this.stores.ui.replyTo(null);
    this.#sentAt = Date.now();
  }

  #input(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    this.stores?.ui.setDraft(value);
    this.stores?.actions.typing(!!value.trim());
  }

  override render() {
    const { t, countdown, compact } = this.locale;
    const now = Date.now();
    const room = this.#room.value;
    const me = this.#me.value;
    const status = this.#connection.value?.status;
    const mode = composerMode(room, me, this.#connection.value, now);
    const draft = this.#draft.value ?? '';
    const max = this.#maxLength.value;
    const left = max! - charCount(draft);
    const stored = this.#error.value;
    const error = stored?.until && stored.until <= now ? null : stored;
    const open = mode === 'open';
    const queued = this.#outbox.value?.length ?? 0;
    const restriction = restrictionAt(me, now);
    // Slow mode counts down from the user's last send (staff are exempt, as on the server).
    const slowWait = room?.slowModeSeconds && !isStaff(me?.user) ? this.#sentAt + room.slowModeSeconds * 1000 - now : 0;
    const statusText = error
      ? this.locale.error(error.error, error.until, max)
      : restriction
        ? restriction.until
          ? t.timedOut(new Date(restriction.until).toLocaleTimeString(this.locale.lang, { timeStyle: 'short' }), restriction.reason)
          : t.banned(restriction.reason)
      : open && slowWait > 0
        ? html`<span part="slow-mode-countdown">${t.slowModeIn(countdown(slowWait))}</span>`
      : mode === 'guest'
        ? t.signIn
        : mode === 'countdown'
          ? t.opensIn(countdown(Date.parse(room!.opensAt!) - now))
          : mode === 'closed'
            ? t.closed
            : mode === 'connecting'
              ? t.connecting
              : status === 'reconnecting' && queued
                ? // The banner says we are offline; here only what waits (said once, not twice).
                  t.offline(queued)
                : '';
    const p = me?.progress;
    const replyTo = this.#replyTo.value;
    const suggestions = open ? this.#suggestions() : [];
    return html`${replyTo
        ? html`<p class="reply" part="reply-preview"><span dir="auto">${t.replyingTo(replyTo.user.name)}: ${replyTo.text}</span>
            <button type="button" part="cancel-reply" aria-label=${t.cancelReply} @click=${() => this.stores?.ui.replyTo(null)}>${icons.close}</button></p>`
        : nothing}<form @submit=${this.#submit}>
        <label class="field">
          <span class="sr">${t.placeholder}</span>
          <input
            part="input"
            dir="auto"
            .value=${draft}
            @input=${this.#input}
            @keydown=${this.#keydown}
            role="combobox"
            aria-autocomplete="list"
            aria-controls="mentions"
            aria-expanded=${suggestions.length > 0}
            aria-activedescendant=${suggestions.length ? `mention-${Math.min(this.#pick, suggestions.length - 1)}` : nothing}
            placeholder=${open ? t.placeholder : ''}
            ?disabled=${!open}
            aria-describedby="status"
            aria-invalid=${left < 0 || error ? 'true' : 'false'}
            autocomplete="off"
            enterkeyhint="send"
          />
          ${open && left <= COUNTER_FROM
            ? html`<span class="count ${left < 0 ? 'over' : ''}" part="char-counter">${left}<span class="sr"> ${t.charsLeft}</span></span>`
            : nothing}
          <ul id="mentions" class="mentions" role="listbox" part="mention-list" ?hidden=${!suggestions.length}>
            ${suggestions.map(
              (u, i) => html`<li id="mention-${i}" role="option" part="mention-option" aria-selected=${i === Math.min(this.#pick, suggestions.length - 1)} @mousedown=${(e: Event) => (e.preventDefault(), this.#complete(u.name))}>${u.name}</li>`,
            )}
          </ul>
        </label>
        <button class="round heart" part="heart-button" type="button" aria-label=${t.heart} ?disabled=${!room || status === 'error' || !!restriction || mode === 'guest'} @click=${() => this.stores?.actions.heart()}>
          ${icons.heart}
        </button>
        <button class="round send" part="send-button" type="submit" aria-label=${t.send} ?disabled=${!open || !draft.trim() || left < 0 || slowWait > 0}>
          ${icons.send}
        </button>
      </form>
      <div class="foot">
        <p id="status" class="status ${error || restriction ? 'error' : ''}" part="composer-status" role=${error || restriction ? 'alert' : 'status'}>
          ${statusText}${mode === 'guest' ? html` <slot name="sign-in"></slot>` : nothing}
        </p>
        ${p
          ? html`<div class="xp" part="xp">
              <span class="level">${t.levelShort(p.level)}</span>
              <progress aria-label=${t.level(p.level)} max=${Math.max(1, p.nextLevelXp - p.levelStartXp)} .value=${p.totalXp - p.levelStartXp}></progress>
              <span dir="auto">${t.xpToday(compact(p.dailyXp), compact(p.dailyXpCap))}</span>
            </div>`
          : nothing}
      </div>`;
  }
}

define('lc-composer', LcComposer);

declare global {
  interface HTMLElementTagNameMap {
    'lc-composer': LcComposer;
  }
}
