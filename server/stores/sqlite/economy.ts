/**
 * The economy of the SQLite ledger: XP and coin events (append-only, insert-or-ignore by id)
 * with their totals changed in the same transaction, standings, session scores and the
 * audit. The award for a chat message is decided by the rule the caller hands in
 * (`AppendChatMessageInput.decide`); this file only reads what the rule needs and writes what
 * it decided.
 */
import type Database from 'better-sqlite3';
import type { AppendChatMessageInput, AwardSnapshot, Ledger, UserAudit, UserStanding, XpEventRecord } from '../ledger.ts';
import { toScore, type ScoreRow } from './rows.ts';

/** Kind of the events a chat message earns. */
const CHAT_KIND = 'chat_message';
/** Outside XP events are stored under this id prefix so they never collide with chat ids. */
const API_PREFIX = 'api:';

type Economy = Pick<Ledger, 'userStanding' | 'sessionScores' | 'appendXpEvents' | 'listUsers' | 'audit'>;

/** What the message append needs to award a chat message inside its transaction. */
export interface ChatAward {
  roomId: string;
  userId: string;
  sessionId: string;
  /** The message's id; its events are `chat:<messageId>`. */
  messageId: string;
  now: number;
  day: string;
  decide: NonNullable<AppendChatMessageInput['decide']>;
}

/** Steps the message append runs inside its own transaction. */
export interface EconomySteps {
  /**
   * Reads the user's daily chat XP and last coin time, asks `decide`, writes the events and
   * totals it decided, and answers the snapshot stored with the message (the message itself is
   * not written yet: its session count includes it).
   */
  awardChatMessage(award: ChatAward): AwardSnapshot;
}

/** Prepares the economy queries over `db` (its schema already migrated). */
export function economy(db: Database.Database): { ledger: Economy; steps: EconomySteps } {
  const q = {
    dailyChatXp: db.prepare<[string, string], { xp: number }>(
      "SELECT COALESCE(SUM(delta), 0) AS xp FROM xp_events WHERE user_id = ? AND source = 'chat' AND day = ?",
    ),
    lastCoinAt: db.prepare<[string], { at: number | null }>(
      "SELECT MAX(created_at) AS at FROM coin_events WHERE user_id = ? AND source = 'chat'",
    ),
    insertXp: db.prepare(
      `INSERT OR IGNORE INTO xp_events (id, user_id, kind, source, delta, room_id, session_id, day, created_at, metadata)
       VALUES (@id, @userId, @kind, @source, @delta, @roomId, @sessionId, @day, @createdAt, @metadata)`,
    ),
    addXpTotal: db.prepare(
      `INSERT INTO xp_totals (user_id, total_xp) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET total_xp = total_xp + excluded.total_xp`,
    ),
    insertCoin: db.prepare(
      `INSERT OR IGNORE INTO coin_events (id, user_id, kind, source, delta, room_id, session_id, created_at)
       VALUES (@id, @userId, @kind, @source, @delta, @roomId, @sessionId, @createdAt)`,
    ),
    addCoinBalance: db.prepare(
      `INSERT INTO coin_balances (user_id, balance) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET balance = balance + excluded.balance`,
    ),
    totalXp: db.prepare<[string], { total_xp: number }>('SELECT total_xp FROM xp_totals WHERE user_id = ?'),
    balance: db.prepare<[string], { balance: number }>('SELECT balance FROM coin_balances WHERE user_id = ?'),
    sessionUser: db.prepare<[string, string], { coins: number; messages: number }>(
      `SELECT COALESCE(SUM(reward_coins), 0) AS coins, COUNT(*) AS messages
       FROM messages WHERE session_id = ? AND user_id = ?`,
    ),
    sessionScores: db.prepare<[string], ScoreRow>(
      `SELECT user_id, MAX(seq) AS last_seq, user_json, SUM(reward_coins) AS coins, COUNT(*) AS messages
       FROM messages WHERE session_id = ? AND guest = 0 GROUP BY user_id`,
    ),
    xpSum: db.prepare<[string], { s: number }>('SELECT COALESCE(SUM(delta), 0) AS s FROM xp_events WHERE user_id = ?'),
    coinSum: db.prepare<[string], { s: number }>('SELECT COALESCE(SUM(delta), 0) AS s FROM coin_events WHERE user_id = ?'),
    users: db.prepare<[], { user_id: string }>('SELECT user_id FROM xp_events UNION SELECT user_id FROM coin_events ORDER BY user_id'),
  };
  const totalXpOf = (userId: string) => q.totalXp.get(userId)?.total_xp ?? 0;
  const balanceOf = (userId: string) => q.balance.get(userId)?.balance ?? 0;

  const steps: EconomySteps = {
    awardChatMessage({ roomId, userId, sessionId, messageId, now, day, decide }) {
      const dailyChatXp = q.dailyChatXp.get(userId, day)!.xp;
      const lastCoinAt = q.lastCoinAt.get(userId)!.at;
      const decision = decide({ dailyChatXp, lastCoinAt, now });
      const event = { id: `chat:${messageId}`, userId, kind: CHAT_KIND, source: 'chat', roomId, sessionId, createdAt: now };
      let xp = 0;
      let coins = 0;
      if (decision.xp !== 0 && q.insertXp.run({ ...event, delta: decision.xp, day, metadata: null }).changes === 1) {
        q.addXpTotal.run(userId, decision.xp);
        xp = decision.xp;
      }
      if (decision.coins !== 0 && q.insertCoin.run({ ...event, delta: decision.coins }).changes === 1) {
        q.addCoinBalance.run(userId, decision.coins);
        coins = decision.coins;
      }
      const before = q.sessionUser.get(sessionId, userId)!;
      return {
        xp,
        coins,
        coinReason: decision.coinReason,
        totalXp: totalXpOf(userId),
        dailyXp: dailyChatXp + xp,
        coinBalance: balanceOf(userId),
        sessionCoins: before.coins + coins,
        sessionMessages: before.messages + 1,
        sessionId,
      };
    },
  };

  const xpEventsTx = db.transaction((events: XpEventRecord[]) => {
    const acceptedIds: string[] = [];
    const duplicateIds: string[] = [];
    for (const e of events) {
      const inserted = q.insertXp.run({
        id: API_PREFIX + e.id,
        userId: e.userId,
        kind: e.kind,
        source: 'api',
        delta: e.delta,
        roomId: e.roomId,
        sessionId: null,
        day: e.day,
        createdAt: e.now,
        metadata: e.metadata ? JSON.stringify(e.metadata) : null,
      });
      if (inserted.changes === 1) {
        q.addXpTotal.run(e.userId, e.delta);
        acceptedIds.push(e.id);
      } else {
        duplicateIds.push(e.id);
      }
    }
    return { acceptedIds, duplicateIds };
  });

  const ledger: Economy = {
    async userStanding(userId, day): Promise<UserStanding> {
      return {
        userId,
        totalXp: totalXpOf(userId),
        coinBalance: balanceOf(userId),
        dailyChatXp: q.dailyChatXp.get(userId, day)!.xp,
        lastCoinAt: q.lastCoinAt.get(userId)!.at,
      };
    },
    async sessionScores(sessionId) {
      return q.sessionScores.all(sessionId).map(toScore);
    },
    async appendXpEvents(events) {
      return xpEventsTx.immediate(events);
    },
    async listUsers() {
      return q.users.all().map((r) => r.user_id);
    },
    async audit(userId): Promise<UserAudit> {
      return {
        userId,
        totalXp: totalXpOf(userId),
        xpEventsSum: q.xpSum.get(userId)!.s,
        coinBalance: balanceOf(userId),
        coinEventsSum: q.coinSum.get(userId)!.s,
      };
    },
  };
  return { ledger, steps };
}
