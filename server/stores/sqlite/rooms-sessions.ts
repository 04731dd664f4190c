/**
 * Rooms and sessions of the SQLite ledger: rooms with their seq counter, and the sessions of
 * a room (newest = current). Whether a session must be replaced is NOT decided here: the
 * caller hands the rule in ({@link SessionRule}), the ledger only applies its answer inside
 * the transaction.
 *
 * Reads cache (issue 8, join storm: every join reads its room and the newest session). Every
 * statement of this connection that writes a room or a session is in this module, and each
 * drops the cached copy of what it changes. Other connections (another server process on the
 * same file) are noticed by `PRAGMA data_version`, which changes when one of them has
 * committed: then the whole cache is dropped. A copy is only used and taken outside a
 * transaction, so it is always a committed row. Cached records are frozen (callers share them).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { Ledger, RoomPatch, RoomRecord, SessionRecord, SessionRule } from '../ledger.ts';
import { toRoom, toSession, type RoomRow, type SessionRow } from '../rows.ts';
import type { SessionActivitySteps } from './session-activity.ts';

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

/** Steps other queries run inside their own transaction. */
export interface RoomSessionSteps {
  /** The room's newest seq (0 when empty); null for an unknown room. */
  lastSeq(roomId: string): number | null;
  /** Records `seq` as the room's newest (a batch of appends writes it once per room). */
  setLastSeq(roomId: string, seq: number): void;
  /** {@link Ledger.ensureSession} without a transaction of its own. */
  ensureSession(roomId: string, now: number, needsNewSession: SessionRule): { session: SessionRecord; started: boolean };
  /** The room's newest session, open or ended; null before the first. */
  latestSession(roomId: string): SessionRecord | null;
  /**
   * {@link Ledger.startSession} without a transaction of its own. `firstSeq`: the seq of the
   * session's first message (`sessions.first_seq`, migration 5); default the room's stored
   * `last_seq` + 1, which a batch of appends passes itself (it writes `last_seq` at its end).
   */
  startSession(roomId: string, now: number, firstSeq?: number): SessionRecord;
}

/** Rooms (and newest sessions) whose rows are kept in memory, least recently read dropped first. */
const CACHED_ROOMS = 10_000;

const ROOM_COLUMNS: Record<keyof RoomPatch, string> = {
  title: 'title',
  opensAt: 'opens_at',
  closesAt: 'closes_at',
  slowModeSeconds: 'slow_mode_seconds',
  pinnedMessageId: 'pinned_message_id',
};

/** Prepares the room and session queries over `db` (its schema already migrated). */
export function roomsAndSessions(
  db: Database.Database,
  activity: SessionActivitySteps,
): { ledger: RoomsAndSessions; steps: RoomSessionSteps } {
  const q = {
    insertRoom: db.prepare(
      `INSERT OR IGNORE INTO rooms (id, title, private, opens_at, closes_at, slow_mode_seconds, created_at)
       VALUES (@id, @title, @private, @opensAt, @closesAt, @slowModeSeconds, @createdAt)`,
    ),
    getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
    listRooms: db.prepare<[], RoomRow>('SELECT * FROM rooms ORDER BY created_at, id'),
    lastSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM rooms WHERE id = ?'),
    setLastSeq: db.prepare<[number, string]>('UPDATE rooms SET last_seq = ? WHERE id = ?'),
    latestSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE room_id = ? ORDER BY rowid DESC LIMIT 1'),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    // A session's messages are the room's from `first_seq` on (migration 5).
    insertSession: db.prepare<[string, string, number, number]>('INSERT INTO sessions (id, room_id, started_at, first_seq) VALUES (?, ?, ?, ?)'),
    endSession: db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
    addLikes: db.prepare<[number, string], { likes: number; room_id: string }>(
      'UPDATE sessions SET likes = likes + ? WHERE id = ? RETURNING likes, room_id',
    ),
  };
  /** Committed rows by room id (see the module comment); `value: null`: no such room, or no session yet. */
  const rooms = new LRUCache<string, { value: RoomRecord | null }>({ max: CACHED_ROOMS });
  const newestSessions = new LRUCache<string, { value: SessionRecord | null }>({ max: CACHED_ROOMS });
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let cachedVersion: number | null = null;
  /** Whether the cache may be used now: outside a transaction, after dropping it if another connection committed. */
  const cacheUsable = (): boolean => {
    if (db.inTransaction) return false;
    const version = dataVersion.get()!;
    if (version !== cachedVersion) {
      rooms.clear();
      newestSessions.clear();
      cachedVersion = version;
    }
    return true;
  };
  /** `read()` frozen, through `cache` when it is `usable` (asked once per ledger call). */
  function cached<T extends object>(cache: LRUCache<string, { value: T | null }>, roomId: string, usable: boolean, read: () => T | null): T | null {
    const hit = usable ? cache.get(roomId) : undefined;
    if (hit) return hit.value;
    const fresh = read();
    const value = fresh && Object.freeze(fresh);
    if (usable) cache.set(roomId, { value });
    return value;
  }
  const latest = (roomId: string, usable = cacheUsable()): SessionRecord | null =>
    cached(newestSessions, roomId, usable, () => {
      const row = q.latestSession.get(roomId);
      return row ? toSession(row) : null;
    });
  const getRoom = (roomId: string, usable = cacheUsable()): RoomRecord | null =>
    cached(rooms, roomId, usable, () => {
      const row = q.getRoom.get(roomId);
      return row ? toRoom(row) : null;
    });
  /** A session of `roomId` was started, ended or given hearts: its newest session is read again. */
  const sessionsChanged = (roomId: string) => newestSessions.delete(roomId);

  /** Ends the room's open session, if any, and starts a new one; inside the caller's transaction. */
  function startSession(roomId: string, now: number, firstSeq = (q.lastSeq.get(roomId)?.last_seq ?? 0) + 1): SessionRecord {
    sessionsChanged(roomId);
    const open = q.latestSession.get(roomId);
    if (open && open.ended_at === null) q.endSession.run(now, open.id);
    const id = `s_${randomUUID()}`;
    q.insertSession.run(id, roomId, now, firstSeq);
    return toSession(q.getSession.get(id)!);
  }

  const steps: RoomSessionSteps = {
    lastSeq: (roomId) => q.lastSeq.get(roomId)?.last_seq ?? null,
    setLastSeq(roomId, seq) {
      rooms.delete(roomId);
      q.setLastSeq.run(seq, roomId);
    },
    ensureSession(roomId, now, needsNewSession) {
      const current = latest(roomId);
      if (current && !needsNewSession(current)) return { session: current, started: false };
      return { session: startSession(roomId, now), started: true };
    },
    latestSession: latest,
    startSession,
  };

  const ensureTx = db.transaction(steps.ensureSession);
  const likesTx = db.transaction((sessionId: string, count: number, now: number | undefined) => {
    const hearted = q.addLikes.get(count, sessionId);
    if (!hearted) return 0;
    // The session's `likes` changed: its room's newest session is read again (hearts go to it).
    sessionsChanged(hearted.room_id);
    if (now !== undefined) activity.countHearts(sessionId, now, count);
    return hearted.likes;
  });
  const startTx = db.transaction(startSession);
  const endTx = db.transaction((roomId: string, now: number): SessionRecord | null => {
    const open = q.latestSession.get(roomId);
    if (!open || open.ended_at !== null) return null;
    sessionsChanged(roomId);
    q.endSession.run(now, open.id);
    return toSession(q.getSession.get(open.id)!);
  });

  const ledger: RoomsAndSessions = {
    async createRoom(room) {
      rooms.delete(room.id);
      return q.insertRoom.run({ ...room, private: room.private ? 1 : 0 }).changes === 1;
    },
    async getRoom(roomId) {
      return getRoom(roomId);
    },
    async listRooms() {
      return q.listRooms.all().map(toRoom);
    },
    async updateRoom(roomId, patch) {
      const keys = (Object.keys(ROOM_COLUMNS) as (keyof RoomPatch)[]).filter((k) => patch[k] !== undefined);
      if (keys.length > 0) {
        const set = keys.map((k) => `${ROOM_COLUMNS[k]} = @${k}`).join(', ');
        const values = Object.fromEntries(keys.map((k) => [k, patch[k]]));
        rooms.delete(roomId);
        db.prepare(`UPDATE rooms SET ${set} WHERE id = @roomId`).run({ ...values, roomId });
      }
      return getRoom(roomId);
    },

    async latestSession(roomId) {
      return latest(roomId);
    },
    async getRoomWithLatestSession(roomId) {
      // Both reads run back to back on this connection (nothing commits in between): one cache check.
      const usable = cacheUsable();
      const room = getRoom(roomId, usable);
      return room ? { room, latestSession: latest(roomId, usable) } : null;
    },
    async getSession(sessionId) {
      const row = q.getSession.get(sessionId);
      return row ? toSession(row) : null;
    },
    async ensureSession(roomId, now, needsNewSession) {
      return ensureTx.immediate(roomId, now, needsNewSession);
    },
    async startSession(roomId, now) {
      return startTx.immediate(roomId, now);
    },
    async endSession(roomId, now) {
      return endTx.immediate(roomId, now);
    },
    async addSessionLikes(sessionId, count, now) {
      return likesTx.immediate(sessionId, count, now);
    },
  };
  return { ledger, steps };
}
