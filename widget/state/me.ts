import { atom } from 'nanostores';
import type { Me, Reward } from '../../server/protocol.ts';

/**
 * The joining user (`me` of the `room:join` ack) and their economy standing (issue 3):
 * total XP, level and its bounds, chat XP today against the daily cap, coin balance.
 */
export function createMeStore() {
  const $me = atom<Me | null>(null);
  return {
    $me,

    /**
     * Folds a {@link Reward} (from a `message:send` ack or the `reward` event) into
     * `me.progress`. The server reports one reward both ways, so a reward whose totals
     * (XP, coins, daily XP) are the ones already held is a duplicate and is ignored.
     * @returns true when the reward was new, so `lc-reward` / `lc-level-up` fire once.
     */
    applyReward(r: Reward): boolean {
      const me = $me.get();
      if (!me) return false;
      const p = me.progress;
      if (p && p.totalXp === r.totalXp && p.coinBalance === r.coinBalance && p.dailyXp === r.dailyXp) {
        return false;
      }
      $me.set({
        ...me,
        progress: {
          userId: me.user.id,
          totalXp: r.totalXp,
          level: r.level,
          // The server fills the level bounds; an older one may not: keep what we had.
          levelStartXp: r.levelStartXp ?? p?.levelStartXp ?? 0,
          nextLevelXp: r.nextLevelXp ?? p?.nextLevelXp ?? r.totalXp + 1,
          dailyXp: r.dailyXp,
          dailyXpCap: r.dailyXpCap,
          coinBalance: r.coinBalance,
        },
      });
      return true;
    },
  };
}
export type MeStore = ReturnType<typeof createMeStore>;
