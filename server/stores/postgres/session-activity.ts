/**
 * What the PostgreSQL ledger keeps for session recaps (its migration 2): per UTC minute of a
 * session, the hearts given (counted by `addSessionLikes` in its transaction) and the
 * occupancy samples (peak, sum, count). Messages per minute and the chatters are read from
 * the messages when a recap is asked for, as one seq range of the session's room
 * (`sessions.first_seq` up to the next session's, migration 5) through the room's
 * `(room_id, seq)` index: nothing is added to the send path.
 */
import type { UserRef } from 'live-chat-protocol';
import type { Ledger } from '../ledger.ts';
import type { PgContext } from './context.ts';
import type { Client } from './pool.ts';

type SessionActivityQueries = Pick<Ledger, 'recordViewers' | 'sessionActivity'>;

/**
 * The messages of session $1: its room's from its first seq up to the next session's first
 * seq (none for the newest), read through the room's (room_id, seq) index (the range worked
 * out once, `MATERIALIZED`, so both bounds are the index scan's). The session id is
 * checked too: a session a migration found without messages has its room's next seq of
 * then as its first, after later sessions' messages.
 */
const SESSION_MESSAGES = `
  WITH r AS MATERIALIZED (
    SELECT s.room_id, COALESCE(s.first_seq, 1) AS from_seq,
      COALESCE((SELECT n.first_seq FROM sessions n WHERE n.room_id = s.room_id AND n.ordinal > s.ordinal ORDER BY n.ordinal LIMIT 1),
        ${Number.MAX_SAFE_INTEGER}) AS to_seq
    FROM sessions s WHERE s.id = $1)
  SELECT m.* FROM r JOIN messages m ON m.room_id = r.room_id AND m.seq >= r.from_seq AND m.seq < r.to_seq AND m.session_id = $1`;

/** ms at the start of the UTC minute of `ms`. */
const minuteOf = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

/** Counts `count` hearts for the UTC minute of `now` (ms) of the session, inside the caller's transaction. */
export async function countHearts(client: Client, sessionId: string, now: number, count: number): Promise<void> {
  await client.query(
    `INSERT INTO session_minutes (session_id, minute, hearts) VALUES ($1, $2, $3)
     ON CONFLICT (session_id, minute) DO UPDATE SET hearts = session_minutes.hearts + EXCLUDED.hearts`,
    [sessionId, minuteOf(now), count],
  );
}

/** The per-minute methods over the ledger's pool. */
export function sessionActivity(ctx: PgContext): SessionActivityQueries {
  const { pool } = ctx;
  return {
    async recordViewers(sessionId, now, viewers) {
      await ctx.ready;
      await pool.query(
        `INSERT INTO session_minutes (session_id, minute, viewers_peak, viewers_sum, viewers_samples) VALUES ($1, $2, $3, $3, 1)
         ON CONFLICT (session_id, minute) DO UPDATE SET
           viewers_peak = GREATEST(session_minutes.viewers_peak, EXCLUDED.viewers_peak),
           viewers_sum = session_minutes.viewers_sum + EXCLUDED.viewers_sum,
           viewers_samples = session_minutes.viewers_samples + 1`,
        [sessionId, minuteOf(now), viewers],
      );
    },
    async sessionActivity(sessionId) {
      await ctx.ready;
      const [byMinute, minutes, chatters] = await Promise.all([
        pool.query<{ minute: number; messages: number }>(
          `SELECT (created_at / 60000) * 60000 AS minute, COUNT(*) AS messages
           FROM (${SESSION_MESSAGES}) m GROUP BY 1 ORDER BY 1`,
          [sessionId],
        ),
        pool.query<{ minute: number; hearts: number; viewers_peak: number; viewers_sum: number; viewers_samples: number }>(
          'SELECT minute, hearts, viewers_peak, viewers_sum, viewers_samples FROM session_minutes WHERE session_id = $1 ORDER BY minute',
          [sessionId],
        ),
        pool.query<{ user_json: string; messages: number; coins: number; xp: number; first_seq: number }>(
          `SELECT user_id, MIN(user_json) AS user_json, COUNT(*) AS messages, SUM(reward_coins) AS coins, SUM(reward_xp) AS xp,
             MIN(seq) AS first_seq
           FROM (${SESSION_MESSAGES}) m GROUP BY user_id`,
          [sessionId],
        ),
      ]);
      return {
        messagesByMinute: byMinute.rows.map((r) => ({ minute: r.minute, messages: r.messages })),
        minutes: minutes.rows.map((r) => ({
          minute: r.minute,
          hearts: r.hearts,
          viewersPeak: r.viewers_peak,
          viewersSum: r.viewers_sum,
          viewersSamples: r.viewers_samples,
        })),
        chatters: chatters.rows.map((r) => ({
          user: JSON.parse(r.user_json) as UserRef,
          messages: r.messages,
          coins: r.coins,
          xp: r.xp,
          firstSeq: r.first_seq,
        })),
      };
    },
  };
}
