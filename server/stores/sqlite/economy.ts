/**
 * The economy of the SQLite ledger: XP and coin events (append-only, insert-or-ignore by id)
 * with their totals changed in the same transaction, standings, session scores and the
 * audit. The award for a chat message is decided by the rule the caller hands in
 * (`AppendChatMessageInput.decide`); this file only reads what the rule needs and writes what
 * it decided.
 *
 * Everything the send path reads is a row by primary key: the totals, and the running
 * counters of `counters.ts` (daily chat XP, last coin time, the user's session counts), which
 * the award's writes keep up to date. Session scores are read from the counters too.
 */
import type Database from 'better-sqlite3';
import type { UserRef } from 'live-chat-protocol';
import type { AppendChatMessageInput, AwardSnapshot, Ledger, UserAudit, UserStanding, XpEventRecord } from '../ledger.ts';
import { counters } from './counters.ts';
import { toScore, type ScoreRow } from '../rows.ts';

/** Kind of the events a chat message earns. */
const CHAT_KIND = 'chat_message';
/** Outside XP events are stored under this id prefix so they never collide with chat ids. */
const API_PREFIX = 'api:';

type Economy = Pick<Ledger, 'userStanding' | 'sessionScores' | 'appendXpEvents' | 'listUsers' | 'audit'>;

/** What the message append needs to decide the award of a chat message inside its transaction. */
export interface ChatAward {
  userId: string;
  sessionId: string;
  now: number;
  day: string;
  decide: NonNullable<AppendChatMessageInput['decide']>;
}

/** A decided award and the message it belongs to, as it is written. */
export interface ChatAwardRecord {
  roomId: string;
  user: UserRef;
  /** The message's id; its events are `chat:<messageId>`. */
  messageId: string;
  seq: number;
  now: number;
  day: string;
  award: AwardSnapshot;
}

/** Steps the message append runs inside its own transaction. */
export interface EconomySteps {
  /**
   * Reads the user's daily chat XP, last coin time, totals and session counts (rows by
   * primary key), asks `decide`, and answers the snapshot to store with the message: the
   * decision and the standing after it (the session counts include the message). Writes
   * nothing: the append writes it with {@link EconomySteps.recordChatAward} once the message
   * row is in (a duplicate `clientId` writes no award).
   */
  decideChatAward(award: ChatAward): AwardSnapshot;
  /** Writes a decided award: its XP and coin events, the totals and the running counters. */
  recordChatAward(record: ChatAwardRecord): void;
}

/** {@link economy}'s `awardState` row: nulls where the user has no row yet. */
interface AwardStateRow {
  day_xp: number | null;
  total_xp: number | null;
  balance: number | null;
  last_chat_coin_at: number | null;
  session_messages: number | null;
  session_coins: number | null;
}

/** Prepares the economy queries over `db` (its schema already migrated). */
export function economy(db: Database.Database): { ledger: Economy; steps: EconomySteps } {
  const q = {
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
    addChatCoins: db.prepare<[string, number, number]>(
      `INSERT INTO coin_balances (user_id, balance, last_chat_coin_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET balance = balance + excluded.balance,
         last_chat_coin_at = MAX(COALESCE(last_chat_coin_at, excluded.last_chat_coin_at), excluded.last_chat_coin_at)`,
    ),
    /**
     * Everything a chat award reads, in one statement (one call instead of four: 9.2 → 4.5 µs
     * a message, measured with better-sqlite3 on 1,000 users): the user's chat XP of the day,
     * total XP, coin balance and last chat coin time, and counts in the session. Each is a row
     * by key (the counters' tables are `counters.ts`'s); null where there is none yet, and
     * for a null `day` or `sessionId` (the standing and the audit read it so).
     */
    awardState: db.prepare<{ userId: string; day: string | null; sessionId: string | null }, AwardStateRow>(
      `SELECT (SELECT xp FROM user_day_chat_xp WHERE user_id = @userId AND day = @day) AS day_xp,
         (SELECT total_xp FROM xp_totals WHERE user_id = @userId) AS total_xp,
         (SELECT balance FROM coin_balances WHERE user_id = @userId) AS balance,
         (SELECT last_chat_coin_at FROM coin_balances WHERE user_id = @userId) AS last_chat_coin_at,
         (SELECT messages FROM session_user_counters WHERE session_id = @sessionId AND user_id = @userId) AS session_messages,
         (SELECT coins FROM session_user_counters WHERE session_id = @sessionId AND user_id = @userId) AS session_coins`,
    ),
    sessionScores: db.prepare<[string], ScoreRow>(
      'SELECT user_id, user_json, coins, messages, last_seq FROM session_user_counters WHERE session_id = ?',
    ),
    xpSum: db.prepare<[string], { s: number }>('SELECT COALESCE(SUM(delta), 0) AS s FROM xp_events WHERE user_id = ?'),
    coinSum: db.prepare<[string], { s: number }>('SELECT COALESCE(SUM(delta), 0) AS s FROM coin_events WHERE user_id = ?'),
    users: db.prepare<[], { user_id: string }>('SELECT user_id FROM xp_events UNION SELECT user_id FROM coin_events ORDER BY user_id'),
  };
  const count = counters(db);
  /** The user's {@link AwardStateRow}; the day's and the session's columns null when not given. */
  const stateOf = (userId: string, day: string | null = null, sessionId: string | null = null) =>
    q.awardState.get({ userId, day, sessionId })!;

  const steps: EconomySteps = {
    decideChatAward({ userId, sessionId, now, day, decide }) {
      const state = stateOf(userId, day, sessionId);
      const dailyChatXp = state.day_xp ?? 0;
      const { xp, coins, coinReason } = decide({ dailyChatXp, lastCoinAt: state.last_chat_coin_at, now });
      return {
        xp,
        coins,
        coinReason,
        totalXp: (state.total_xp ?? 0) + xp,
        dailyXp: dailyChatXp + xp,
        coinBalance: (state.balance ?? 0) + coins,
        sessionCoins: (state.session_coins ?? 0) + coins,
        sessionMessages: (state.session_messages ?? 0) + 1,
        sessionId,
      };
    },
    recordChatAward({ roomId, user, messageId, seq, now, day, award }) {
      const userId = user.id;
      const event = { id: `chat:${messageId}`, userId, kind: CHAT_KIND, source: 'chat', roomId, sessionId: award.sessionId, createdAt: now };
      // Fresh message ids: these inserts always add a row; `OR IGNORE` keeps replays harmless.
      if (award.xp !== 0 && q.insertXp.run({ ...event, delta: award.xp, day, metadata: null }).changes === 1) {
        q.addXpTotal.run(userId, award.xp);
      }
      if (award.coins !== 0 && q.insertCoin.run({ ...event, delta: award.coins }).changes === 1) {
        q.addChatCoins.run(userId, award.coins, now);
      }
      count.count({ sessionId: award.sessionId, user, seq, day, xp: award.xp, coins: award.coins });
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
      const state = stateOf(userId, day);
      return {
        userId,
        totalXp: state.total_xp ?? 0,
        coinBalance: state.balance ?? 0,
        dailyChatXp: state.day_xp ?? 0,
        lastCoinAt: state.last_chat_coin_at,
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
      const state = stateOf(userId);
      return {
        userId,
        totalXp: state.total_xp ?? 0,
        xpEventsSum: q.xpSum.get(userId)!.s,
        coinBalance: state.balance ?? 0,
        coinEventsSum: q.coinSum.get(userId)!.s,
      };
    },
  };
  return { ledger, steps };
}
