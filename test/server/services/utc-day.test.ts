/**
 * `utcDay` (live-chat-protocol, the daily XP cap's unit) remembers the last day it answered:
 * it must still name every ms right, at day edges and when asked about days out of order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utcDay } from 'live-chat-protocol';

describe('utcDay', () => {
  it('names the UTC day of any ms, at the edges and out of order', () => {
    const midnight = Date.UTC(2030, 0, 15);
    const cases: [number, string][] = [
      [midnight, '2030-01-15'],
      [midnight - 1, '2030-01-14'],
      [midnight + 86_399_999, '2030-01-15'],
      [midnight + 86_400_000, '2030-01-16'],
      [midnight + 1, '2030-01-15'],
      [0, '1970-01-01'],
      [-1, '1969-12-31'],
      [midnight - 86_400_000 * 365, '2029-01-15'],
      [midnight + 43_200_000, '2030-01-15'],
    ];
    for (const [ms, day] of [...cases, ...cases.reverse()]) assert.equal(utcDay(ms), day, `${ms} → ${new Date(ms).toISOString()}`);
    assert.throws(() => utcDay(Number.NaN), RangeError);
  });
});
