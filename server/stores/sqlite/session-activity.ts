/**
 * What the SQLite ledger keeps for session recaps (migration 3): per UTC minute of a session,
 * the hearts given (counted by `addSessionLikes` in its transaction) and the occupancy
 * samples (peak, sum, count). Messages per minute and the chatters are read from the
 * messages themselves when a recap is asked for, as the seq range of the session's room
 * (`sessions.first_seq`, migration 5): nothing is added to the send path.
 */
import type Database from 'better-sqlite3';
import type { UserRef } from 'live-chat-protocol';
import type { Ledger } from '../ledger.ts';

type SessionActivityQueries = Pick<Ledger, 'recordViewers' | 'sessionActivity'>;

/** Steps other queries run inside their own transaction. */
export interface SessionActivitySteps {
  /** Counts `count` hearts for the UTC minute of `now` (ms) of the session. */
  countHearts(sessionId: string, now: number, count: number): void;
}

/** A session's messages: its room's with `from` ≤ seq < `to` (migration 5; `session_id` checked too). */
interface SeqRange {
  sessionId: string;
  roomId: string;
  from: number;
  to: number;
}
/** The messages of a {@link SeqRange}, read through the room's (room_id, seq) index. */
const IN_RANGE = 'room_id = @roomId AND seq >= @from AND seq < @to AND session_id = @sessionId';

/** ms at the start of the UTC minute of `ms`. */
export const minuteOf = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

/** Prepares the per-minute queries over `db` (migrated to version 3 or later). */
export function sessionActivity(db: Database.Database): { ledger: SessionActivityQueries; steps: SessionActivitySteps } {
  const q = {
    hearts: db.prepare(
      `INSERT INTO session_minutes (session_id, minute, hearts) VALUES (?, ?, ?)
       ON CONFLICT (session_id, minute) DO UPDATE SET hearts = hearts + excluded.hearts`,
    ),
    viewers: db.prepare(
      `INSERT INTO session_minutes (session_id, minute, viewers_peak, viewers_sum, viewers_samples) VALUES (@sessionId, @minute, @v, @v, 1)
       ON CONFLICT (session_id, minute) DO UPDATE SET
         viewers_peak = MAX(viewers_peak, excluded.viewers_peak),
         viewers_sum = viewers_sum + excluded.viewers_sum,
         viewers_samples = viewers_samples + 1`,
    ),
    minutes: db.prepare<[string], { minute: number; hearts: number; viewers_peak: number; viewers_sum: number; viewers_samples: number }>(
      'SELECT minute, hearts, viewers_peak, viewers_sum, viewers_samples FROM session_minutes WHERE session_id = ? ORDER BY minute',
    ),
    /** The session's room and seq range [from, to) (to: the next session's first seq, or none). */
    range: db.prepare<[string], { room_id: string; from_seq: number; to_seq: number | null }>(
      `SELECT s.room_id, COALESCE(s.first_seq, 1) AS from_seq,
         (SELECT n.first_seq FROM sessions n WHERE n.room_id = s.room_id AND n.rowid > s.rowid ORDER BY n.rowid LIMIT 1) AS to_seq
       FROM sessions s WHERE s.id = ?`,
    ),
    messagesByMinute: db.prepare<[SeqRange], { minute: number; messages: number }>(
      `SELECT (created_at / 60000) * 60000 AS minute, COUNT(*) AS messages
       FROM messages WHERE ${IN_RANGE} GROUP BY 1 ORDER BY 1`,
    ),
    chatters: db.prepare<[SeqRange], { user_json: string; messages: number; coins: number; xp: number; first_seq: number }>(
      `SELECT user_id, user_json, COUNT(*) AS messages, SUM(reward_coins) AS coins, SUM(reward_xp) AS xp, MIN(seq) AS first_seq
       FROM messages WHERE ${IN_RANGE} GROUP BY user_id`,
    ),
  };
  /** The session's messages as a seq range of its room (an empty one for an unknown session). */
  const rangeOf = (sessionId: string): SeqRange => {
    const r = q.range.get(sessionId);
    return { sessionId, roomId: r?.room_id ?? '', from: r?.from_seq ?? 0, to: r?.to_seq ?? Number.MAX_SAFE_INTEGER };
  };
  return {
    steps: {
      countHearts(sessionId, now, count) {
        q.hearts.run(sessionId, minuteOf(now), count);
      },
    },
    ledger: {
      async recordViewers(sessionId, now, viewers) {
        q.viewers.run({ sessionId, minute: minuteOf(now), v: viewers });
      },
      async sessionActivity(sessionId) {
        const range = rangeOf(sessionId);
        return {
          messagesByMinute: q.messagesByMinute.all(range),
          minutes: q.minutes.all(sessionId).map((r) => ({
            minute: r.minute,
            hearts: r.hearts,
            viewersPeak: r.viewers_peak,
            viewersSum: r.viewers_sum,
            viewersSamples: r.viewers_samples,
          })),
          chatters: q.chatters.all(range).map((r) => ({
            user: JSON.parse(r.user_json) as UserRef,
            messages: r.messages,
            coins: r.coins,
            xp: r.xp,
            firstSeq: r.first_seq,
          })),
        };
      },
    },
  };
}
