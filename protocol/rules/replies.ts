/**
 * Reply quotes (docs/protocol.md, "Rules"): a reply carries a short quote of the message it
 * answers, its author and the first {@link QUOTE_LENGTH} characters of its text. One rule for
 * the server, which stores the quote, and the widget, which may show a pending reply's quote
 * before the server answers.
 */

/** Characters (Unicode code points) of the original a quote keeps. */
export const QUOTE_LENGTH = 100;

/**
 * The quoted part of a message's text: its first {@link QUOTE_LENGTH} code points (a
 * surrogate pair is never cut in half), the rest dropped without an ellipsis. `text` is the
 * stored, already normalised text; '' stays ''.
 */
export function quoteText(text: string): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ === QUOTE_LENGTH) break;
    out += ch;
  }
  return out;
}
