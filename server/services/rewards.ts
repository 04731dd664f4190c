/**
 * The chat economy (issue 3; docs/protocol.md, "Rules", `Reward`, `LeaderboardEntry`): the award rule
 * for a chat message, rewards and progress as users see them, session leaderboards, and
 * outside XP events.
 *
 * The award is decided by {@link RewardService.decide} INSIDE the ledger transaction that
 * stores the message, from what the ledger holds at that moment (daily chat XP, last coin
 * time); progress is read from the ledger too. The hot store only caches session leaderboards,
 * rebuilt from the ledger on a miss, e.g. after a restart.
 *
 * Announces `leaderboardChanged` when a score is written, and `rewardEarned` for an award
 * that is not zero (the rule for the `reward` event).
 */
import {
  decideAward,
  levelForXp,
  levelInfo,
  rankScores,
  utcDay,
  type LeaderboardEntry,
  type MessageReward,
  type Reward,
  type UserProgress,
  type XpEventInput,
} from 'live-chat-protocol';
import type { AwardDecision, AwardSnapshot, AwardState, StoredMessage } from '../stores/ledger.ts';
import { iso, type ServiceContext } from './deps.ts';

/** What every viewer sees of an award on `message:new`: `{ xp, coins }`, or null when both are 0. */
export function toMessageReward(award: AwardSnapshot | null): MessageReward | null {
  return award && (award.xp !== 0 || award.coins !== 0) ? { xp: award.xp, coins: award.coins } : null;
}

/** The level the award brought the user to, or null when it crossed no level boundary. */
function levelReached(award: AwardSnapshot): number | null {
  const level = levelForXp(award.totalXp);
  return level > levelForXp(award.totalXp - award.xp) ? level : null;
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
  /**
   * The full `Reward` for the earning user, from the snapshot stored with the message, with
   * `messageId` set so clients can dedupe the ack and the `reward` event (several tabs, retries).
   * Null for a message without an award (a guest's).
   */
  toReward(message: StoredMessage): Reward | null;
  /**
   * After a message with an award committed: merges the user's session score into the cached
   * leaderboard (idempotent: the entry with the higher `lastSeq` wins, so running it again for
   * a retried `clientId` repairs a board a failed first attempt left behind), then announces
   * `leaderboardChanged` and, when the award is not zero, `rewardEarned` (again on a retry:
   * the first attempt may have failed before it; clients dedupe by `messageId`), naming
   * `connectionId`, the sending connection (its ack carries the reward, so the `reward` event
   * skips it). Unless `retry`, also counts the award in the metrics and logs it (and a level-up).
   * A message without an award (a guest's) does nothing.
   * @throws when the hot store fails (the award itself is already in the ledger; nothing is
   *   announced).
   */
  recordAward(message: StoredMessage, options?: { retry?: boolean; connectionId?: string }): Promise<void>;
  /**
   * A user's standing (`GET /api/users/:userId/xp`, `me.progress`), read from the ledger only:
   * total XP and level, chat XP of the current UTC day, coin balance, and `nextCoinAt` while
   * the coin cooldown runs. Unknown users get zeros; nothing is written.
   */
  progress(userId: string): Promise<UserProgress>;
  /** Top `n` of a session, ranked: coins desc, messages desc, who got there first. */
  leaderboard(sessionId: string, n: number): Promise<LeaderboardEntry[]>;
  /** Appends outside XP events (idempotent by id); see `POST /api/xp/events`. */
  appendXpEvents(events: XpEventInput[]): Promise<{ acceptedIds: string[]; duplicateIds: string[] }>;
}

/**
 * Builds the reward service.
 * @param deps `config` gives the rule's numbers (`XP_PER_MESSAGE`, `DAILY_XP_CAP` per UTC day,
 *   `COINS_PER_MESSAGE`, `COIN_COOLDOWN_SECONDS` in s); the clock (ms) decides the UTC day and
 *   the cooldown; metrics and logger get awards and level-ups.
 * @returns a {@link RewardService}; `decide` and `toReward` are pure, the others reject with
 *   the store's error when a store fails. Building it never throws.
 */
export function createRewardService({ config, ledger, hot, clock, logger, metrics, events }: ServiceContext): RewardService {
  const cooldownMs = config.coinCooldownSeconds * 1000;

  const service: RewardService = {
    decide: (state) => decideAward(config, state),

    toReward(message) {
      const a = message.award;
      if (!a) return null;
      const { level, levelStartXp, nextLevelXp } = levelInfo(a.totalXp);
      return {
        xp: a.xp,
        coins: a.coins,
        totalXp: a.totalXp,
        level,
        leveledUp: levelReached(a) !== null,
        dailyXp: a.dailyXp,
        dailyXpCap: config.dailyXpCap,
        coinBalance: a.coinBalance,
        sessionCoins: a.sessionCoins,
        coinReason: a.coinReason,
        messageId: message.id,
        levelStartXp,
        nextLevelXp,
      };
    },

    async recordAward(message, { retry = false, connectionId } = {}) {
      const a = message.award;
      if (!a) return;
      const userId = message.user.id;
      if (!retry) {
        // Counted before the hot write: a failing cache must not lose the metrics.
        const fields = { user: userId, room: message.roomId, session: a.sessionId, seq: message.seq, xp: a.xp, coins: a.coins };
        if (a.xp !== 0 || a.coins !== 0) {
          metrics.xpAwarded.inc(a.xp);
          metrics.coinsAwarded.inc(a.coins);
          logger.debug({ ...fields, reason: a.coinReason }, 'award');
        }
        const level = levelReached(a);
        if (level !== null) {
          metrics.levelUps.inc();
          // Not `level`: pino's own key, which a second `level` would shadow for log readers.
          logger.info({ ...fields, levelReached: level }, 'level up');
        }
      }
      await hot.upsertScore(a.sessionId, {
        userId,
        name: message.user.name,
        avatarUrl: message.user.avatarUrl,
        coins: a.sessionCoins,
        messages: a.sessionMessages,
        lastSeq: message.seq,
      });
      events.announce('leaderboardChanged', { roomId: message.roomId, sessionId: a.sessionId });
      const reward = service.toReward(message);
      if (reward && (reward.xp !== 0 || reward.coins !== 0)) events.announce('rewardEarned', { userId, reward, connectionId });
    },

    async progress(userId) {
      const now = clock();
      const standing = await ledger.userStanding(userId, utcDay(now));
      const { lastCoinAt } = standing;
      const nextCoinAt = lastCoinAt !== null && now - lastCoinAt < cooldownMs ? lastCoinAt + cooldownMs : null;
      return {
        userId,
        totalXp: standing.totalXp,
        ...levelInfo(standing.totalXp),
        dailyXp: standing.dailyChatXp,
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
      return rankScores(top, n);
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
          day: utcDay(now),
        })),
      );
      metrics.xpEvents.inc(result.acceptedIds.length);
      logger.info({ accepted: result.acceptedIds.length, duplicates: result.duplicateIds.length }, 'xp events');
      return result;
    },
  };
  return service;
}
