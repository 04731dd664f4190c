/**
 * The chat economy (issue 3; DESIGN.md "Rules", `Reward`, `LeaderboardEntry`): the award rule
 * for a chat message, rewards and progress as users see them, session leaderboards, and
 * outside XP events.
 *
 * The award is decided by {@link RewardService.decide} INSIDE the ledger transaction that
 * stores the message, from what the ledger holds at that moment; the hot store only caches
 * the results (daily XP, last coin, leaderboard scores) and is rebuilt from the ledger on a
 * miss, e.g. after a restart.
 */
import type { CoinReason, LeaderboardEntry, MessageReward, Reward, UserProgress, XpEventInput } from '../protocol.ts';
import type { ScoreEntry } from '../stores/hot-store.ts';
import type { AwardDecision, AwardSnapshot, AwardState, StoredMessage } from '../stores/ledger.ts';
import { iso, utcDay, type ServiceDeps } from './deps.ts';
import { levelForXp, levelInfo } from './levels.ts';

/** What every viewer sees of an award on `message:new`: `{ xp, coins }`, or null when both are 0. */
export function toMessageReward(award: AwardSnapshot | null): MessageReward | null {
  return award && (award.xp !== 0 || award.coins !== 0) ? { xp: award.xp, coins: award.coins } : null;
}

export interface RewardService {
  /**
   * The award rule for one chat message (pure; called inside the ledger transaction):
   * - XP: `XP_PER_MESSAGE`, clamped so chat XP never passes `DAILY_XP_CAP` in a UTC day;
   *   0 once the cap is reached.
   * - Coins: `COINS_PER_MESSAGE` unless the user's last coin award was less than
   *   `COIN_COOLDOWN_SECONDS` ago.
   * - `coinReason`: `chat_message` when coins were awarded; otherwise `cap_reached` when the
   *   message earned nothing because the daily cap is reached; otherwise `rate_limited` when
   *   the cooldown withheld the coin; otherwise null (coins are switched off).
   */
  decide(state: AwardState): AwardDecision;
  /** The full `Reward` for the earning user, from the snapshot stored with the message. */
  toReward(award: AwardSnapshot): Reward;
  /** What every viewer sees on `message:new`: `{ xp, coins }`, or null when both are 0. */
  messageReward(award: AwardSnapshot | null): MessageReward | null;
  /** Updates the hot caches after an award was stored, and logs/counts it. */
  recordAward(message: StoredMessage): Promise<void>;
  /** A user's standing (`GET /api/users/:userId/xp`, `me.progress`). */
  progress(userId: string): Promise<UserProgress>;
  /** Top `n` of a session, ranked: coins desc, messages desc, who got there first. */
  leaderboard(sessionId: string, n: number): Promise<LeaderboardEntry[]>;
  /** Appends outside XP events (idempotent by id); see `POST /api/xp/events`. */
  appendXpEvents(events: XpEventInput[]): Promise<{ acceptedIds: string[]; duplicateIds: string[] }>;
}

export function createRewardService({ config, ledger, hot, clock, logger, metrics }: ServiceDeps): RewardService {
  const cooldownMs = config.coinCooldownSeconds * 1000;

  const toEntries = (scores: ScoreEntry[]): LeaderboardEntry[] =>
    scores.map((s, i) => ({
      rank: i + 1,
      userId: s.userId,
      name: s.name,
      avatarUrl: s.avatarUrl,
      coins: s.coins,
      messages: s.messages,
    }));

  return {
    decide({ dailyChatXp, lastCoinAt, now }) {
      const capReached = dailyChatXp >= config.dailyXpCap;
      const xp = capReached ? 0 : Math.min(config.xpPerMessage, config.dailyXpCap - dailyChatXp);
      const inCooldown = lastCoinAt !== null && now - lastCoinAt < cooldownMs;
      const coins = config.coinsPerMessage > 0 && !inCooldown ? config.coinsPerMessage : 0;
      let coinReason: CoinReason = null;
      if (coins > 0) coinReason = 'chat_message';
      else if (capReached && xp === 0) coinReason = 'cap_reached';
      else if (inCooldown) coinReason = 'rate_limited';
      return { xp, coins, coinReason };
    },

    toReward(a) {
      const { level, levelStartXp, nextLevelXp } = levelInfo(a.totalXp);
      return {
        xp: a.xp,
        coins: a.coins,
        totalXp: a.totalXp,
        level,
        leveledUp: level > levelForXp(a.totalXp - a.xp),
        dailyXp: a.dailyXp,
        dailyXpCap: config.dailyXpCap,
        coinBalance: a.coinBalance,
        sessionCoins: a.sessionCoins,
        coinReason: a.coinReason,
        levelStartXp,
        nextLevelXp,
      };
    },

    messageReward: toMessageReward,

    async recordAward(message) {
      const a = message.award;
      if (!a) return;
      const userId = message.user.id;
      await hot.setDailyXp(userId, utcDay(message.createdAt), a.dailyXp);
      if (a.coins > 0) await hot.setLastCoinAt(userId, message.createdAt);
      await hot.upsertScore(a.sessionId, {
        userId,
        name: message.user.name,
        avatarUrl: message.user.avatarUrl,
        coins: a.sessionCoins,
        messages: a.sessionMessages,
        lastSeq: message.seq,
      });
      const fields = { user: userId, room: message.roomId, session: a.sessionId, seq: message.seq, xp: a.xp, coins: a.coins };
      if (a.xp !== 0 || a.coins !== 0) {
        metrics.xpAwarded.inc(a.xp);
        metrics.coinsAwarded.inc(a.coins);
        logger.info({ ...fields, reason: a.coinReason }, 'award');
      }
      const level = levelForXp(a.totalXp);
      if (level > levelForXp(a.totalXp - a.xp)) {
        metrics.levelUps.inc();
        logger.info({ ...fields, level }, 'level up');
      }
    },

    async progress(userId) {
      const now = clock();
      const day = utcDay(now);
      const standing = await ledger.userStanding(userId, day);
      // The ledger's numbers are the truth; warm the caches with them (after a restart).
      await hot.setDailyXp(userId, day, standing.dailyChatXp);
      if (standing.lastCoinAt !== null) await hot.setLastCoinAt(userId, standing.lastCoinAt);
      const lastCoinAt = (await hot.getLastCoinAt(userId)) ?? standing.lastCoinAt;
      const nextCoinAt = lastCoinAt !== null && now - lastCoinAt < cooldownMs ? lastCoinAt + cooldownMs : null;
      return {
        userId,
        totalXp: standing.totalXp,
        ...levelInfo(standing.totalXp),
        dailyXp: (await hot.getDailyXp(userId, day)) ?? standing.dailyChatXp,
        dailyXpCap: config.dailyXpCap,
        coinBalance: standing.coinBalance,
        nextCoinAt: iso(nextCoinAt),
      };
    },

    async leaderboard(sessionId, n) {
      let top = await hot.topScores(sessionId, n);
      if (!top) {
        await hot.loadLeaderboard(sessionId, await ledger.sessionScores(sessionId));
        top = (await hot.topScores(sessionId, n)) ?? [];
      }
      return toEntries(top);
    },

    async appendXpEvents(events) {
      const now = clock();
      const result = await ledger.appendXpEvents(
        events.map((e) => ({
          id: e.id,
          userId: e.userId,
          kind: e.kind,
          delta: e.delta,
          roomId: e.roomId ?? null,
          metadata: e.metadata ?? null,
          now,
        })),
      );
      metrics.xpEvents.inc(result.acceptedIds.length);
      logger.info({ accepted: result.acceptedIds.length, duplicates: result.duplicateIds.length }, 'xp events');
      return result;
    },
  };
}
