import { svg, type SVGTemplateResult } from 'lit';
import type { RecapMinute } from 'live-chat-protocol';

/** The series the chart draws, each in its own band, and the theme token that colours it. */
export const RECAP_SERIES = [
  { key: 'messages', color: 'var(--lc-color-accent)' },
  { key: 'viewers', color: 'var(--lc-color-success)' },
  { key: 'hearts', color: 'var(--lc-color-like)' },
] as const satisfies readonly { key: keyof Omit<RecapMinute, 'minute'>; color: string }[];

/** Width of the chart's coordinate space, in SVG user units (it scales to its box). */
export const CHART_WIDTH = 600;
/** Height of one series' band, in SVG user units. */
export const BAND_HEIGHT = 56;

/**
 * Draws a recap's per-minute timeline as three stacked bands (messages, viewers, hearts), each
 * scaled to its own maximum: a filled area under a line, coloured with the theme's tokens
 * (`--lc-color-accent`, `--lc-color-success`, `--lc-color-like`), the maximum written at the
 * band's top. Decorative for assistive technology: `<lc-recap>` adds a table of the same
 * numbers.
 * @param timeline one entry per UTC minute, oldest first (may be empty).
 * @param labels the name of each series, as shown next to its band.
 */
export function recapChart(timeline: readonly RecapMinute[], labels: Record<(typeof RECAP_SERIES)[number]['key'], string>): SVGTemplateResult {
  const n = timeline.length;
  const x = (i: number) => (n <= 1 ? CHART_WIDTH / 2 : (i / (n - 1)) * CHART_WIDTH);
  const bands = RECAP_SERIES.map(({ key, color }, b) => {
    const top = b * BAND_HEIGHT;
    const max = Math.max(1, ...timeline.map((m) => m[key]));
    const y = (v: number) => top + BAND_HEIGHT - 4 - (v / max) * (BAND_HEIGHT - 20);
    const line = timeline.map((m, i) => `${x(i).toFixed(1)},${y(m[key]).toFixed(1)}`).join(' ');
    const base = (top + BAND_HEIGHT - 4).toFixed(1);
    const area = n ? `${x(0).toFixed(1)},${base} ${line} ${x(n - 1).toFixed(1)},${base}` : '';
    return svg`<g data-series=${key}>
      <line x1="0" x2=${CHART_WIDTH} y1=${base} y2=${base} stroke="var(--lc-color-border)" />
      <polygon points=${area} fill=${color} fill-opacity="0.18" />
      <polyline points=${line} fill="none" stroke=${color} stroke-width="2" stroke-linejoin="round" vector-effect="non-scaling-stroke" />
      ${n === 1 ? svg`<circle cx=${x(0)} cy=${y(timeline[0]![key])} r="3" fill=${color} />` : ''}
      <text x="4" y=${top + 12} fill="var(--lc-color-muted)" font-size="11">${labels[key]} · max ${Math.max(0, ...timeline.map((m) => m[key]))}</text>
    </g>`;
  });
  return svg`<svg viewBox="0 0 ${CHART_WIDTH} ${RECAP_SERIES.length * BAND_HEIGHT}" preserveAspectRatio="none" aria-hidden="true" part="recap-chart">${bands}</svg>`;
}
