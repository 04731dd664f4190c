/** The level curve (server/services/levels.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { levelForXp, levelInfo, levelStartXp } from 'live-chat-protocol';

describe('levels', () => {
  it('starts levels at 0, 25, 75, 150, … with growing steps', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 10].map(levelStartXp),
      [0, 25, 75, 150, 250, 1125],
    );
    assert.equal(levelForXp(0), 1);
    assert.equal(levelForXp(24), 1);
    assert.equal(levelForXp(25), 2);
    assert.equal(levelForXp(1124), 9);
    assert.equal(levelForXp(1125), 10);
    assert.equal(levelForXp(-40), 1);
  });

  it('makes level 10 take about three weeks of daily caps (50 XP a day)', () => {
    const days = levelStartXp(10) / 50;
    assert.ok(days >= 14 && days <= 35, `${days} days`);
  });

  it('is monotonic and consistent with its bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (xp) => {
        const { level, levelStartXp: start, nextLevelXp } = levelInfo(xp);
        assert.ok(start <= xp && xp < nextLevelXp);
        assert.ok(levelForXp(xp + 1) >= level);
      }),
    );
  });
});
