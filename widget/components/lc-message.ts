import { html, nothing } from 'lit';
import type { Badge, Message } from 'live-chat-protocol';
import type { PendingMessage } from '../state/outbox.ts';
import { isStaff } from '../state/staff.ts';
import { avatar, avatarStyles } from './avatar.ts';
import { define, LcElement } from './base-element.ts';
import { base } from './shared.styles.ts';
import { icons } from './icons.ts';
import { styles } from './lc-message.styles.ts';
import { richText } from './rich-text.ts';

const BADGES = ['host', 'winner', 'moderator'] as const satisfies readonly Badge[];

/**
 * One chat message: avatar (picture or initials), name, HOST / WINNER / MODERATOR badges,
 * relative time, the text (always as text, never as HTML), a gold coin chip when the
 * message earned coins, and a like button with its count.
 *
 * @summary One message of the chat.
 * @csspart avatar - The round avatar.
 * @csspart author - The author's name.
 * @csspart badge - Every badge; also `badge-host`, `badge-winner`, `badge-moderator`.
 * @csspart badge-host - The HOST badge.
 * @csspart badge-winner - The WINNER badge.
 * @csspart badge-moderator - The MOD badge.
 * @csspart time - The relative time (`<time datetime>`).
 * @csspart message-text - The text.
 * @csspart link - An `http(s)` URL in the text, as a link (`target="_blank"`, `rel="noopener noreferrer nofollow ugc"`).
 * @csspart coin - The "+1" coin chip (only on messages with `reward.coins > 0`).
 * @csspart like-button - The like button: the count (empty at 0), then a visually hidden "Like".
 * @csspart hide-button - "Hide messages from Ana" (others' messages; for me alone, undoable), shown on hover and focus.
 * @csspart message-actions - The moderation menu (`lc-message-actions`, from the host-tools chunk), hosts and moderators only.
 * @cssproperty --lc-badge-host-color - HOST badge background.
 * @cssproperty --lc-badge-winner-color - WINNER badge background.
 * @cssproperty --lc-badge-moderator-color - MOD badge background.
 * @cssproperty --lc-coin-color - The coin.
 * @cssproperty --lc-coin-chip-bg - The coin chip's background.
 * @cssproperty --lc-color-like - The like button when liked.
 */
export class LcMessage extends LcElement {
  static override properties = {
    message: { attribute: false },
    pending: { attribute: false },
    liked: { attribute: false },
    now: { attribute: false },
  };

  /** The message to show. */
  declare message?: Message;
  /** Set for the user's own message that the server has not acknowledged yet. */
  declare pending?: PendingMessage['state'];
  /** Whether the user liked it (the like button's `aria-pressed`). */
  liked = false;
  /** ms since epoch, for the relative time. */
  now = Date.now();

  static override styles = [base, avatarStyles, styles];

  override render() {
    const m = this.message;
    if (!m) return nothing;
    const { t, relative, compact } = this.locale;
    const coins = m.reward?.coins ?? 0;
    const mine = m.user.id === this.stores?.me.$me.get()?.user.id;
    return html`<div class="row ${this.pending ? 'pending' : ''} ${m.deleted ? 'deleted' : ''}">
      ${avatar(m.user.id, m.user.name, m.user.avatarUrl)}
      <div class="body">
        <div class="meta">
          <span class="author" part="author" dir="auto">${m.user.name}</span>
          ${BADGES.filter((b) => m.user.badges.includes(b)).map(
            (b) => html`<span class="badge ${b}" part="badge badge-${b}" role="img" aria-label=${t[b]}>${t[`${b}Short`]}</span>`,
          )}
          ${this.pending
            ? html`<span class="time">${this.pending === 'queued' ? t.queued : t.pending}</span>`
            : html`<time part="time" class="time" datetime=${m.createdAt} title=${new Date(m.createdAt).toLocaleString(this.locale.lang)}
                >${relative(m.createdAt, this.now)}</time
              >`}
          ${coins > 0
            ? html`<span class="coin" part="coin" role="img" aria-label=${t.earned(coins)}><i class="gold"></i>+${coins}</span>`
            : nothing}
          ${isStaff(this.stores?.me.$me.get()?.user) && !this.pending && !m.deleted
            ? html`<lc-message-actions part="message-actions" .message=${m}></lc-message-actions>`
            : nothing}
        </div>
        <p class="text" part="message-text" dir="auto">${m.deleted ? t.deleted : richText(m.text)}</p>
      </div>
      ${this.pending || m.deleted
        ? nothing
        : html`<button class="like" part="like-button" aria-pressed=${this.liked} @click=${() => this.stores?.actions.like(m.id)}>
            ${icons.heart}${m.likes ? compact(m.likes) : ''}<span class="sr"> ${t.like}</span>
          </button>`}
      ${this.pending || m.deleted || mine
        ? nothing
        : html`<button class="tool" part="hide-button" aria-label=${t.hide(m.user.name)} title=${t.hide(m.user.name)} @click=${() => this.stores?.hidden.hide(m.user)}>⊘</button>`}
    </div>`;
  }
}

define('lc-message', LcMessage);

declare global {
  interface HTMLElementTagNameMap {
    'lc-message': LcMessage;
  }
}
