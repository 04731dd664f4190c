import { atom } from 'nanostores';
import type { Me, ModerationNotice, Reward } from 'live-chat-protocol';

/** Message ids of rewards already counted, kept for dedupe (the oldest are forgotten). */
const SEEN_MAX = 200;

/**
 * The joining user (`me` of the `room:join` ack) and their economy standing (issue 3):
 * total XP, level and its bounds, chat XP today against the daily cap, coin balance.
 */
export function createMeStore() {
  const $me = atom<Me | null>(null);
  const seen = new Set<string>();
  /** The last timeout noticed (`restrict`), which outlives a ban and its unban. */
  let timeout: ModerationNotice | null = null;
  return {
    $me,

    /** The join ack's `me` (who the server says the user is, and may do). */
    apply(me: Me | null): void {
      $me.set(me);
    },

    /**
     * A `moderation:notice` about this user: a timeout or ban becomes `me.restriction`; an
     * unban lifts the ban, and a timeout noticed before it (the server keeps a timeout and a
     * ban apart) applies again while it runs.
     */
    restrict(n: ModerationNotice): void {
      const me = $me.get();
      if (!me) return;
      if (n.kind === 'timeout') timeout = n;
      const running = timeout?.until && Date.parse(timeout.until) > Date.now() ? timeout : null;
      // A ban outranks a timeout that comes while it holds.
      const r = n.kind === 'unban' ? running : n.kind === 'timeout' && me.restriction?.kind === 'ban' ? me.restriction : n;
      $me.set({ ...me, restriction: r && { kind: r.kind as 'timeout' | 'ban', until: r.until, reason: r.reason } });
    },

    /**
     * Folds a {@link Reward} (from a `message:send` ack or the `reward` event, maybe from
     * another tab of the same user) into `me.progress`. One reward can come twice (the ack of
     * a retry, and the event of its first attempt that this connection got after a reconnect):
     * a reward is a duplicate when its `messageId` was seen already, or, from a server
     * that sends no `messageId`, when its totals (XP, coins, daily XP) are the ones held.
     * Progress never moves backwards: a reward that arrives after a newer one (lower total
     * XP, or the same XP and fewer coins) counts as new but leaves the progress as it is.
     * @returns true when the reward was new, so `lc-reward` / `lc-level-up` fire once.
     */
    applyReward(r: Reward): boolean {
      const me = $me.get();
      if (!me) return false;
      const p = me.progress;
      if (r.messageId) {
        if (seen.has(r.messageId)) return false;
        seen.add(r.messageId);
        if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value!);
      } else if (p && p.totalXp === r.totalXp && p.coinBalance === r.coinBalance && p.dailyXp === r.dailyXp) {
        return false;
      }
      if (p && (r.totalXp < p.totalXp || (r.totalXp === p.totalXp && r.coinBalance < p.coinBalance))) return true;
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
