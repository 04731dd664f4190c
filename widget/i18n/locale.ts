import { MAX_MESSAGE_LENGTH } from '../state/composer.ts';
import type { ClientError } from '../transport/chat-transport.ts';
import { en, type Catalogue } from './en.ts';
import { sv } from './sv.ts';

const catalogues: Record<string, Catalogue> = { en, sv };

/** Languages written right to left; `dir` follows `lang` unless the element sets `dir`. */
const RTL = /^(ar|dv|fa|he|ku|ps|sd|ug|ur|yi)\b/i;

/**
 * Adds (or replaces) a language catalogue, e.g. `registerCatalogue('de', de)`. Elements
 * pick it up the next time their `lang` is resolved.
 * @param lang a BCP 47 primary language subtag, lower case (`de`, `fi`).
 */
export function registerCatalogue(lang: string, catalogue: Catalogue): void {
  catalogues[lang.toLowerCase()] = catalogue;
}

/** Strings and `Intl` formatters for one language and writing direction. */
export interface Locale {
  /** The BCP 47 tag in use (what `Intl` formats with). */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The UI strings; English for languages without a catalogue. */
  t: Catalogue;
  /** Compact count, e.g. 12345 → "12K", 12345 with 1 decimal → "12.3K". */
  compact(n: number): string;
  /** Plain grouped number, e.g. 1 234. */
  number(n: number): string;
  /** Relative time of an ISO date against `now` (ms since epoch), e.g. "5 min ago". */
  relative(iso: string, now: number): string;
  /** A countdown, `m:ss` or `h:mm:ss`, of a duration in ms (rounded up to the second). */
  countdown(ms: number): string;
  /**
   * What to tell the user about an error; `until` (ms since epoch) gives "try again in N s",
   * `maxLength` (characters, default 2000) the limit a `too_long` names.
   */
  error(e: ClientError, until?: number, maxLength?: number): string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * Builds the {@link Locale} for a language (issue 4, "Languages": strings from one catalogue
 * per language, times and counts through `Intl`).
 * @param lang BCP 47 tag such as `sv` or `en-GB`; unknown or malformed → English strings.
 * @param dir explicit direction; by default right to left for Arabic, Hebrew, Persian, Urdu….
 */
export function createLocale(lang: string, dir?: string | null): Locale {
  let tag = 'en';
  try {
    tag = Intl.getCanonicalLocales(lang || 'en')[0] ?? 'en';
  } catch {
    /* malformed tag: English */
  }
  const t = catalogues[tag.split('-')[0]!.toLowerCase()] ?? en;
  const compact = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(tag);
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    lang: tag,
    dir: dir === 'rtl' || dir === 'ltr' ? dir : RTL.test(tag) ? 'rtl' : 'ltr',
    t,
    compact: (n) => compact.format(n),
    number: (n) => number.format(n),
    relative(iso, now) {
      const s = (Date.parse(iso) - now) / 1000;
      for (const [unit, size] of UNITS) {
        if (Math.abs(s) >= size) return rtf.format(Math.round(s / size), unit);
      }
      return rtf.format(0, 'second');
    },
    countdown(ms) {
      const s = Math.max(0, Math.ceil(ms / 1000));
      const h = Math.floor(s / 3600);
      const m = Math.floor(s / 60) % 60;
      return (h ? `${h}:${pad(m)}` : `${m}`) + `:${pad(s % 60)}`;
    },
    error(e, until = 0, maxLength = MAX_MESSAGE_LENGTH) {
      const text = t.errors[e.code as keyof Catalogue['errors']] ?? t.errors.internal;
      return typeof text === 'string' ? text : text(e.code === 'too_long' ? maxLength : Math.max(1, Math.ceil((until - Date.now()) / 1000)));
    },
  };
}
