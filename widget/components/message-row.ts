import { html, nothing } from 'lit';
import { LIKE_REACTION, REACTIONS, type Badge, type Message, type Reaction } from 'live-chat-protocol';
import type { Locale } from '../i18n/locale.ts';
import type { ChatStores } from '../state/chat-stores.ts';
import type { PendingMessage } from '../state/outbox.ts';
import { avatar } from './avatar.ts';
import { richText } from './rich-text.ts';

const BADGES = ['host', 'winner', 'moderator'] as const satisfies readonly Badge[];

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The time's title ("12/1/2026, 1:47:18 AM"), as `toLocaleString(lang)` writes it, with one formatter per language. */
const dateFormat = (lang: string): Intl.DateTimeFormat => {
  let format = dateFormats.get(lang);
  if (!format) dateFormats.set(lang, (format = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  return format;
};

/**
 * What one row of the message list shows. The list renders a row again only when one of
 * these changed ({@link sameRow}): once per frame over 200 rows, an unchanged render still costs.
 */
export interface RowState {
  message: Message;
  /** Set for the user's own message that the server has not acknowledged yet. */
  pending?: PendingMessage['state'];
  /** Whether the user liked it (the like button's `aria-pressed`). */
  liked: boolean;
  /** ms since epoch, for the relative time. */
  now: number;
  /** My reactions on it (`aria-pressed` of its chips). */
  mine: readonly Reaction[] | undefined;
  /** Whether the row is the hovered or focused one, which shows the shared toolbar. */
  active: boolean;
  /** Whether its reaction picker is open. */
  picking: boolean;
  /** Whether the message is mine (no "hide" button). */
  own: boolean;
  /** Whether I am a host or moderator (the moderation menu in the toolbar). */
  staff: boolean;
  locale: Locale;
}

/** Whether two states render the same row. */
export const sameRow = (a: RowState | undefined, b: RowState): boolean =>
  !!a && (Object.keys(b) as (keyof RowState)[]).every((k) => a[k] === b[k]);

/** Chips of the reactions given (❤️ is the like button), then the picker when open. */
function reactions({ message: m, mine = [], picking, locale: { t, compact } }: RowState) {
  const counts = m.reactions ?? {};
  const given = REACTIONS.filter((r) => r !== LIKE_REACTION && counts[r]);
  if (!given.length && !picking) return nothing;
  return html`<div class="reactions">
    ${given.map((r) => html`<button part="reaction" data-act="react" data-r=${r} aria-pressed=${mine.includes(r)} aria-label=${t.reaction(r, counts[r]!)}>${r} ${compact(counts[r]!)}</button>`)}
    ${picking
      ? html`<span part="reaction-picker" role="group" aria-label=${t.react}>${REACTIONS.map(
          (r) => html`<button part="reaction-option" data-act="react" data-r=${r} aria-pressed=${mine.includes(r)}>${r}</button>`,
        )}</span>`
      : nothing}
  </div>`;
}

/**
 * The toolbar shared by all rows (issue 10, item 9), shown in the hovered or focused one:
 * react, reply, hide (others' messages); the like button stays in every row, for its count.
 * The moderation menu (hosts and moderators) follows the like button.
 */
function toolbar(s: RowState) {
  const { t } = s.locale;
  const name = s.message.user.name;
  return html`<span class="bar">
    <button class="tool" part="react-button" data-act="pick" tabindex="-1" aria-label=${t.react} title=${t.react} aria-expanded=${s.picking}>☺</button>
    <button class="tool" part="reply-button" data-act="reply" tabindex="-1" aria-label=${t.reply} title=${t.reply}>↩</button>
    ${s.own ? nothing : html`<button class="tool" part="hide-button" data-act="hide" tabindex="-1" aria-label=${t.hide(name)} title=${t.hide(name)}>⊘</button>`}
  </span>`;
}

/**
 * One message of the list, rendered into its row (`part="message"`, which the list makes and
 * keys): avatar (picture or initials), name, HOST / WINNER / MOD badges, relative time, the
 * reply's quote, the text (always as text, links aside), the coin chip, reaction chips, and the
 * toolbar (like in every row; react, reply, hide and the moderation menu in the active one).
 * Buttons carry `data-act` (and `data-r`, the emoji): the list handles their clicks, one
 * listener for all rows. About 8 elements per message.
 */
export function messageRow(s: RowState, stores: ChatStores | undefined) {
  const { message: m, pending, locale } = s;
  const { t, relative, compact, lang } = locale;
  const coins = m.reward?.coins ?? 0;
  const tools = !pending && !m.deleted;
  return html`${avatar(m.user.id, m.user.name, m.user.avatarUrl)}<span class="author" part="author" dir="auto">${m.user.name}</span>${BADGES.filter((b) => m.user.badges.includes(b)).map(
      (b) => html`<span class="badge ${b}" part="badge badge-${b}" role="img" aria-label=${t[b]}>${t[`${b}Short`]}</span>`,
    )}${pending
      ? html`<span class="time">${pending === 'queued' ? t.queued : t.pending}</span>`
      : html`<time part="time" class="time" datetime=${m.createdAt} title=${dateFormat(lang).format(new Date(m.createdAt))}>${relative(m.createdAt, s.now)}</time>`}${coins > 0
      ? html`<span class="coin" part="coin" role="img" aria-label=${t.earned(coins)}><i class="gold"></i>+${coins}</span>`
      : nothing}${m.replyTo && !m.deleted
      ? html`<button class="quote" part="reply-quote" data-act="quote"><b dir="auto">${m.replyTo.name}</b> <span dir="auto">${m.replyTo.text}</span></button>`
      : nothing}<p class="text" part="message-text" dir="auto">${m.deleted ? t.deleted : richText(m.text)}</p>${m.deleted ? nothing : reactions(s)}${tools
      ? html`<span class="tools" role="toolbar">${s.active ? toolbar(s) : nothing}<button class="like" part="like-button" data-act="like" aria-pressed=${s.liked}>${m.likes ? compact(m.likes) : ''}<span class="sr"> ${t.like}</span></button>${s.active && s.staff
          ? html`<lc-message-actions part="message-actions" .stores=${stores} .message=${m}></lc-message-actions>`
          : nothing}</span>`
      : nothing}`;
}
