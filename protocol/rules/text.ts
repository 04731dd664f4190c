/**
 * Message text rules (docs/protocol.md, "Rules": 1..`maxMessageLength` characters after
 * normalisation; control characters stripped). One implementation for the server, which
 * enforces it, and the widget, which counts characters in the composer.
 */

/** Line breaks and tabs become spaces. */
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** C0, DEL and C1 control characters (Unicode category Cc). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unpaired UTF-16 surrogates, which are not text. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A control character or an unpaired surrogate (one match, no state between calls). */
const NOT_TEXT = new RegExp(`${CONTROLS.source}|${LONE_SURROGATES.source}`);

/**
 * True when `s` holds no control character (line breaks and tabs included) and no unpaired
 * surrogate: what {@link normalizeText} would strip. For ids, which are refused, not cleaned
 * (a token's `sub`, docs/protocol.md "Identity").
 */
export function isText(s: string): boolean {
  return !NOT_TEXT.test(s);
}

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

/** The verdict of {@link checkText}: the normalised text, or why it is refused. */
export type TextCheck =
  | { ok: true; text: string; length: number }
  | { ok: false; code: 'invalid'; length: 0 }
  | { ok: false; code: 'too_long'; length: number };

/**
 * Normalises raw text and checks its length.
 * @param maxLength characters (code points), `MAX_MESSAGE_LENGTH` (default 2000).
 * @returns the normalised text with its length, or `invalid` (nothing left) / `too_long`
 *   (over `maxLength`, with the length). Never throws.
 */
export function checkText(raw: string, maxLength: number): TextCheck {
  const text = normalizeText(raw);
  if (text === '') return { ok: false, code: 'invalid', length: 0 };
  const length = textLength(text);
  if (length > maxLength) return { ok: false, code: 'too_long', length };
  return { ok: true, text, length };
}
