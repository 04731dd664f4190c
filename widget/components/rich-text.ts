import { html, type TemplateResult } from 'lit';

/**
 * An `http(s)` URL in a message: up to whitespace, quotes, angle brackets, and bidi or
 * invisible format characters (U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069,
 * U+FEFF), which could make a link read as something it is not.
 */
const URL_RE = /\bhttps?:\/\/[^\s<>"'`\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/gi;

/** Punctuation that ends a sentence rather than a URL: "see https://x.com/a." */
const TRAILING = /[.,:;!?)\]}]+$/;

/** `rel` of every link in a message (user content: no referrer, no ranking, no opener). */
export const LINK_REL = 'noopener noreferrer nofollow ugc';

/**
 * The parsed URL when `text` is an absolute `http:` or `https:` URL, else null. Anything else
 * (`javascript:`, `data:`, relative URLs) never becomes a link.
 */
export function safeUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * A message's text for a Lit template (issue 10, "Links"): `http(s)` URLs become
 * `<a part="link" target="_blank" rel="noopener noreferrer nofollow ugc">`, everything else stays
 * text (Lit writes strings as text nodes, never as HTML). The link's text is what the user
 * wrote; its `href` and `title` are the parsed URL, so a look-alike host shows as punycode
 * (`xn--…`) on hover. Trailing sentence punctuation and an unbalanced `)` stay outside.
 * @returns `text` itself when there is no link (no extra nodes).
 */
export function richText(text: string): string | (string | TemplateResult)[] {
  const out: (string | TemplateResult)[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    let raw = m[0];
    const tail = TRAILING.exec(raw)?.[0] ?? '';
    raw = raw.slice(0, raw.length - tail.length);
    // "(see https://x.com/a_(b))" keeps the balanced ")" of the URL.
    for (const ch of tail) {
      if (ch === ')' && raw.split('(').length > raw.split(')').length) raw += ch;
      else break;
    }
    const url = safeUrl(raw);
    if (!url) continue;
    out.push(text.slice(at, m.index), html`<a part="link" href=${url.href} title=${url.href} target="_blank" rel=${LINK_REL}>${raw}</a>`);
    at = m.index! + raw.length;
  }
  if (!out.length) return text;
  out.push(text.slice(at));
  return out;
}
