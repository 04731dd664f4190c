/**
 * Rooms and sessions of the PostgreSQL ledger. The room row is the per-room lock: every
 * transaction that changes a room's sessions or takes its next seq locks it first
 * (`FOR UPDATE` or the seq `UPDATE`), so sessions and seqs are decided one at a time per room
 * across all instances. Whether a session must be replaced is the caller's rule
 * ({@link SessionRule}), applied here inside the transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Ledger, RoomPatch, SessionRecord, SessionRule } from '../ledger.ts';
import { transaction, type Client } from './pool.ts';
import { SESSION_COLUMNS, toRoom, toSession, type RoomRow, type SessionRow } from './rows.ts';
import type { PgContext } from './context.ts';
import { countHearts } from './session-activity.ts';

type RoomsAndSessions = Pick<
  Ledger,
  | 'createRoom'
  | 'getRoom'
  | 'listRooms'
  | 'updateRoom'
  | 'latestSession'
  | 'getRoomWithLatestSession'
  | 'getSession'
  | 'ensureSession'
  | 'startSession'
  | 'endSession'
  | 'addSessionLikes'
>;

const ROOM_COLUMNS: Record<keyof RoomPatch, string> = {
  title: 'title',
  opensAt: 'opens_at',
  closesAt: 'closes_at',
  slowModeSeconds: 'slow_mode_seconds',
  pinnedMessageId: 'pinned_message_id',
};

async function latest(client: Client | PgContext['pool'], roomId: string): Promise<SessionRecord | null> {
  const { rows } = await client.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE room_id = $1 ORDER BY ordinal DESC LIMIT 1`,
    [roomId],
  );
  return rows[0] ? toSession(rows[0]) : null;
}

/**
 * Ends the room's open session, if any, and starts a new one; inside the caller's transaction
 * (room locked).
 * @param firstSeq the seq the session's first message will get (`sessions.first_seq`, what a
 *   recap reads its messages by; migration 5); default the room's stored last seq + 1. An
 *   append that already took seqs in this transaction, not yet stored, passes its next one.
 */
export async function startIn(client: Client, roomId: string, now: number, firstSeq?: number): Promise<SessionRecord> {
  const open = await latest(client, roomId);
  if (open && open.endedAt === null) await client.query('UPDATE sessions SET ended_at = $1 WHERE id = $2', [now, open.id]);
  const { rows } = await client.query<SessionRow>(
    `INSERT INTO sessions (id, room_id, started_at, first_seq)
     VALUES ($1, $2, $3, COALESCE($4::int8, (SELECT last_seq + 1 FROM rooms WHERE id = $2))) RETURNING ${SESSION_COLUMNS}`,
    [`s_${randomUUID()}`, roomId, now, firstSeq ?? null],
  );
  return toSession(rows[0]!);
}

/**
 * {@link Ledger.ensureSession} inside the caller's transaction, which must hold the room row
 * (after {@link lockRoom}).
 */
async function ensureIn(
  client: Client,
  roomId: string,
  now: number,
  needsNewSession: SessionRule,
): Promise<{ session: SessionRecord; started: boolean }> {
  const current = await latest(client, roomId);
  if (current && !needsNewSession(current)) return { session: current, started: false };
  return { session: await startIn(client, roomId, now), started: true };
}

/** Locks the room row for the rest of the transaction. @throws for an unknown room. */
async function lockRoom(client: Client, roomId: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
  if (rowCount === 0) throw new Error(`room ${roomId} does not exist`);
}

type RoomWithLatestSession = Awaited<ReturnType<Ledger['getRoomWithLatestSession']>>;

/** The room and session methods over the ledger's pool. */
export function roomsAndSessions(ctx: PgContext): RoomsAndSessions {
  const { pool } = ctx;

  /** The room and its newest session in one statement, one snapshot; frozen (it may be shared). */
  const readRoomWithLatestSession = async (roomId: string): Promise<RoomWithLatestSession> => {
    const { rows } = await pool.query<RoomRow & { latest_session: SessionRow | null }>(
      `SELECT r.*, to_jsonb(s) AS latest_session
       FROM rooms r
       LEFT JOIN LATERAL (SELECT ${SESSION_COLUMNS} FROM sessions WHERE room_id = r.id ORDER BY ordinal DESC LIMIT 1) s ON true
       WHERE r.id = $1`,
      [roomId],
    );
    const row = rows[0];
    if (!row) return null;
    const latestSession = row.latest_session && Object.freeze(toSession(row.latest_session));
    return Object.freeze({ room: Object.freeze(toRoom(row)), latestSession });
  };
  /**
   * Reads of `getRoomWithLatestSession` waiting for the end of this turn of the event loop, by
   * room: a join storm's joins of one turn share one query, which starts after every one of
   * them asked (so it sees all each of them must see).
   */
  const turnReads = new Map<string, Promise<RoomWithLatestSession>>();

  return {
    async createRoom(room) {
      await ctx.ready;
      const { rowCount } = await pool.query(
        `INSERT INTO rooms (id, title, private, opens_at, closes_at, slow_mode_seconds, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [room.id, room.title, room.private, room.opensAt, room.closesAt, room.slowModeSeconds, room.createdAt],
      );
      return rowCount === 1;
    },
    async getRoom(roomId) {
      await ctx.ready;
      const { rows } = await pool.query<RoomRow>('SELECT * FROM rooms WHERE id = $1', [roomId]);
      return rows[0] ? toRoom(rows[0]) : null;
    },
    async listRooms() {
      await ctx.ready;
      const { rows } = await pool.query<RoomRow>('SELECT * FROM rooms ORDER BY created_at, id COLLATE "C"');
      return rows.map(toRoom);
    },
    async updateRoom(roomId, patch) {
      await ctx.ready;
      const keys = (Object.keys(ROOM_COLUMNS) as (keyof RoomPatch)[]).filter((k) => patch[k] !== undefined);
      // With nothing to change, `SET id = id` still answers the row (or none).
      const set = keys.map((k, i) => `${ROOM_COLUMNS[k]} = $${i + 2}`).join(', ') || 'id = id';
      const { rows } = await pool.query<RoomRow>(`UPDATE rooms SET ${set} WHERE id = $1 RETURNING *`, [roomId, ...keys.map((k) => patch[k])]);
      return rows[0] ? toRoom(rows[0]) : null;
    },

    async latestSession(roomId) {
      await ctx.ready;
      return latest(pool, roomId);
    },
    async getRoomWithLatestSession(roomId) {
      await ctx.ready;
      let read = turnReads.get(roomId);
      if (!read) {
        read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          // Started: a later call must not share a read that may have begun before it asked.
          turnReads.delete(roomId);
          return readRoomWithLatestSession(roomId);
        });
        turnReads.set(roomId, read);
      }
      return read;
    },
    async getSession(sessionId) {
      await ctx.ready;
      const { rows } = await pool.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [sessionId]);
      return rows[0] ? toSession(rows[0]) : null;
    },
    async ensureSession(roomId, now, needsNewSession) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        await lockRoom(client, roomId);
        return ensureIn(client, roomId, now, needsNewSession);
      });
    },
    async startSession(roomId, now) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        await lockRoom(client, roomId);
        return startIn(client, roomId, now);
      });
    },
    async endSession(roomId, now) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        await lockRoom(client, roomId);
        const open = await latest(client, roomId);
        if (!open || open.endedAt !== null) return null;
        const { rows } = await client.query<SessionRow>(`UPDATE sessions SET ended_at = $1 WHERE id = $2 RETURNING ${SESSION_COLUMNS}`, [
          now,
          open.id,
        ]);
        return toSession(rows[0]!);
      });
    },
    async addSessionLikes(sessionId, count, now) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        const { rows } = await client.query<{ likes: number }>('UPDATE sessions SET likes = likes + $1 WHERE id = $2 RETURNING likes', [
          count,
          sessionId,
        ]);
        const likes = rows[0]?.likes;
        if (likes === undefined) return 0;
        if (now !== undefined) await countHearts(client, sessionId, now, count);
        return likes;
      });
    },
  };
}
