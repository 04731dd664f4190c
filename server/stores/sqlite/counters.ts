/**
 * Running counters of the SQLite ledger (migration 2, issue 8 "constant cost per message"):
 * what the award rule and the snapshot stored with a message need, kept up to date in the
 * transaction that stores the message, so the send path reads a few rows by primary key
 * instead of summing a user's history.
 *
 * - `session_user_counters` (session, user): messages, chat XP and coins of the user's
 *   messages in the session, the seq of the newest and the user as it sent that one (name and
 *   avatar for leaderboards). Guests have no row (they earn nothing and are on no leaderboard).
 * - `user_day_chat_xp` (user, UTC day): chat XP earned that day (the daily cap's count).
 * - `coin_balances.last_chat_coin_at`: when the user last earned a chat coin (the cooldown).
 *
 * Each is a sum or a maximum over rows that are never rewritten (messages' awards, chat XP and
 * coin events), so it can always be rebuilt from them: {@link backfillCounters} does so, and
 * the migration runs it on the history a database already holds.
 */
import type Database from 'better-sqlite3';
import type { UserRef } from 'live-chat-protocol';

const COUNTER_TABLES = `
CREATE TABLE session_user_counters (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  user_id TEXT NOT NULL,
  user_json TEXT NOT NULL,
  messages INTEGER NOT NULL,
  xp INTEGER NOT NULL,
  coins INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;
CREATE TABLE user_day_chat_xp (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  xp INTEGER NOT NULL,
  PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
ALTER TABLE coin_balances ADD COLUMN last_chat_coin_at INTEGER;
`;

/**
 * Rebuilds every counter from the rows it sums: session counters from the messages of
 * signed-in users (the user as of their newest message), daily chat XP from the chat XP
 * events, the last chat coin time from the chat coin events. Replaces what the counters held;
 * run inside a transaction (the migration's, or a test's).
 */
export function backfillCounters(db: Database.Database): void {
  db.exec(`
DELETE FROM session_user_counters;
INSERT INTO session_user_counters (session_id, user_id, user_json, messages, xp, coins, last_seq)
  SELECT session_id, user_id, user_json, COUNT(*), SUM(reward_xp), SUM(reward_coins), MAX(seq)
  FROM messages WHERE guest = 0 GROUP BY session_id, user_id;
DELETE FROM user_day_chat_xp;
INSERT INTO user_day_chat_xp (user_id, day, xp)
  SELECT user_id, day, SUM(delta) FROM xp_events WHERE source = 'chat' GROUP BY user_id, day;
UPDATE coin_balances SET last_chat_coin_at =
  (SELECT MAX(created_at) FROM coin_events e WHERE e.user_id = coin_balances.user_id AND e.source = 'chat');
`);
}

/** Migration 2: creates the counters and fills them from the history already stored. */
export function addCounters(db: Database.Database): void {
  db.exec(COUNTER_TABLES);
  backfillCounters(db);
}

/** What one awarded message adds to the counters. */
export interface CountedMessage {
  sessionId: string;
  user: UserRef;
  seq: number;
  day: string;
  xp: number;
  coins: number;
}

/** Prepared reads and writes of the counters over `db` (migrated to version 2 or later). */
export function counters(db: Database.Database) {
  const q = {
    countSession: db.prepare(
      `INSERT INTO session_user_counters (session_id, user_id, user_json, messages, xp, coins, last_seq)
       VALUES (@sessionId, @userId, @userJson, 1, @xp, @coins, @seq)
       ON CONFLICT (session_id, user_id) DO UPDATE SET
         user_json = excluded.user_json, messages = messages + 1, xp = xp + excluded.xp,
         coins = coins + excluded.coins, last_seq = MAX(last_seq, excluded.last_seq)`,
    ),
    addDayXp: db.prepare(
      `INSERT INTO user_day_chat_xp (user_id, day, xp) VALUES (?, ?, ?)
       ON CONFLICT (user_id, day) DO UPDATE SET xp = xp + excluded.xp`,
    ),
  };
  return {
    /**
     * Counts one awarded message: its session counts and, when it earned XP, the day's chat
     * XP. (The coin time is written with the coin balance, by the caller.)
     */
    count(m: CountedMessage): void {
      q.countSession.run({ sessionId: m.sessionId, userId: m.user.id, userJson: JSON.stringify(m.user), xp: m.xp, coins: m.coins, seq: m.seq });
      if (m.xp !== 0) q.addDayXp.run(m.user.id, m.day, m.xp);
    },
  };
}

export type Counters = ReturnType<typeof counters>;
