/**
 * Text on the server: the message text rule (`checkText` of live-chat-protocol, the one
 * implementation the widget counts with too) answered as AppErrors, and slugs for ids.
 */
import { checkText } from 'live-chat-protocol';
import { refuse } from '../errors.ts';

/**
 * Normalises and checks a message's text.
 * @param maxLength characters (code points), `MAX_MESSAGE_LENGTH`.
 * @throws AppError `invalid` when nothing is left, `too_long` when over `maxLength`.
 */
export function checkMessageText(raw: string, maxLength: number): string {
  const checked = checkText(raw, maxLength);
  if (checked.ok) return checked.text;
  if (checked.code === 'invalid') throw refuse.invalid('Message is empty');
  throw refuse.tooLong(`Message is ${checked.length} characters; the limit is ${maxLength}`);
}

/**
 * A URL-safe slug: accents dropped, lower case, runs of other characters as one `-`, at most
 * 40 characters; '' when nothing is left (e.g. emoji only).
 */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
