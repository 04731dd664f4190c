import { decideAward, rankScores, utcDay, type AwardDecision, type AwardRules, type LeaderboardEntry, type Score, type UserRef } from 'live-chat-protocol';

/** What the economy remembers of a user between messages. */
interface Standing {
  /** The UTC day (`YYYY-MM-DD`) `dailyXp` counts. */
  day: string;
  /** Chat XP earned in `day`. */
  dailyXp: number;
  /** ms since the epoch of the last coin, or null. */
  lastCoinAt: number | null;
}

/**
 * The economy of a `FakeTransport`: XP, coins and the session leaderboard, decided with the
 * protocol's own rules, as the server decides them: `decideAward` (XP capped per UTC day, with
 * `utcDay`; a coin unless the cooldown runs) and `rankScores` (coins, messages, who got there
 * first) cut to `leaderboardSize`. One session, in memory.
 */
export class FakeEconomy {
  readonly #rules: AwardRules & { leaderboardSize: number };
  readonly #standings = new Map<string, Standing>();
  readonly #scores = new Map<string, Score>();

  /** @param rules the server's numbers (`DEFAULT_LIMITS` or a test's own). */
  constructor(rules: AwardRules & { leaderboardSize: number }) {
    this.#rules = rules;
  }

  /**
   * Sets what a user earned before (a fixture's progress).
   * @param dailyXp chat XP of the UTC day of `now` (ms).
   * @param lastCoinAt ms of the last coin, or null.
   */
  seed(userId: string, now: number, dailyXp: number, lastCoinAt: number | null): void {
    this.#standings.set(userId, { day: utcDay(now), dailyXp, lastCoinAt });
  }

  /**
   * Decides the award of one message of `userId` at `now` (ms) with `decideAward`, and books
   * it: the day's XP (a new UTC day starts at 0) and the time of the coin.
   * @returns the decision and the user's chat XP of the day after it.
   */
  award(userId: string, now: number): AwardDecision & { dailyXp: number } {
    const day = utcDay(now);
    const before = this.#standings.get(userId);
    const dailyChatXp = before?.day === day ? before.dailyXp : 0;
    const lastCoinAt = before?.lastCoinAt ?? null;
    const decision = decideAward(this.#rules, { dailyChatXp, lastCoinAt, now });
    const dailyXp = dailyChatXp + decision.xp;
    this.#standings.set(userId, { day, dailyXp, lastCoinAt: decision.coins > 0 ? now : lastCoinAt });
    return { ...decision, dailyXp };
  }

  /** ms since the epoch at which `userId` may earn a coin again, or null when now. */
  nextCoinAt(userId: string, now: number): number | null {
    const last = this.#standings.get(userId)?.lastCoinAt ?? null;
    const at = last === null ? null : last + this.#rules.coinCooldownSeconds * 1000;
    return at !== null && at > now ? at : null;
  }

  /**
   * Counts a message of `user` (seq `seq`) and its coins on the session board.
   * @returns the user's session score after it.
   */
  count(user: UserRef, coins: number, seq: number): Score {
    const was = this.#scores.get(user.id);
    const score = { userId: user.id, name: user.name, avatarUrl: user.avatarUrl, coins: (was?.coins ?? 0) + coins, messages: (was?.messages ?? 0) + 1, lastSeq: seq };
    this.#scores.set(user.id, score);
    return score;
  }

  /**
   * Replaces the session's scores. Among equal scores the order given is who got there first
   * (they count as earlier than any message of the fake).
   */
  setScores(entries: readonly Omit<LeaderboardEntry, 'rank'>[]): void {
    this.#scores.clear();
    entries.forEach((e, i) => this.#scores.set(e.userId, { ...e, lastSeq: i - entries.length }));
  }

  /** The board on the wire: the top `leaderboardSize` by `rankScores`. */
  board(): LeaderboardEntry[] {
    return rankScores([...this.#scores.values()], this.#rules.leaderboardSize);
  }
}
