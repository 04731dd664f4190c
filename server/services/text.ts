/**
 * Message text rules (DESIGN.md "Rules": "1..2000 characters after trim; control characters
 * stripped").
 */
import { refuse } from '../errors.ts';

/** Line breaks and tabs become spaces. */
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** C0, DEL and C1 control characters (Unicode category Cc). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unpaired UTF-16 surrogates, which are not text. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Cleans raw message text: line breaks and tabs become spaces, other control characters and
 * unpaired surrogates are removed, the result is NFC-normalised and trimmed. Emoji (with
 * their joiners and variation selectors) and every script are kept as they are.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATES, '')
    .normalize('NFC')
    .trim();
}

/** Length in characters as the rules count them: Unicode code points. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalises and checks a message's text.
 * @param maxLength characters (code points), `MAX_MESSAGE_LENGTH`.
 * @throws AppError `invalid` when nothing is left, `too_long` when over `maxLength`.
 */
export function checkMessageText(raw: string, maxLength: number): string {
  const text = normalizeText(raw);
  if (text === '') throw refuse.invalid('Message is empty');
  const length = textLength(text);
  if (length > maxLength) throw refuse.tooLong(`Message is ${length} characters; the limit is ${maxLength}`);
  return text;
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
