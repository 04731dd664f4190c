/**
 * The SQLite {@link Ledger} (better-sqlite3, WAL). better-sqlite3 is synchronous, so every
 * method runs to completion before its promise settles and each write is one transaction:
 * there is no interleaving inside `appendChatMessage`, which is what makes the daily cap and
 * the coin cooldown exact under any concurrency.
 *
 * Tables (DESIGN.md "Storage"): rooms, sessions, messages, message_likes, xp_events,
 * xp_totals, coin_events, coin_balances. Session leaderboards are derived from `messages`
 * (coins and message counts per user per session), in the same transaction as the message.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { UserRef } from 'live-chat-protocol';
import type {
  AppendChatMessageInput,
  AppendChatMessageResult,
  AwardSnapshot,
  Ledger,
  RoomPatch,
  RoomRecord,
  ScoreRecord,
  SessionRecord,
  StoredMessage,
  UserAudit,
  UserStanding,
  XpEventRecord,
} from './ledger.ts';

/** Kind and source of the events a chat message earns. */
const CHAT_KIND = 'chat_message';
/** Outside XP events are stored under this id prefix so they never collide with chat ids. */
const API_PREFIX = 'api:';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  private INTEGER NOT NULL DEFAULT 0,
  opens_at INTEGER,
  closes_at INTEGER,
  slow_mode_seconds INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  likes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_by_room ON sessions(room_id);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  seq INTEGER NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_json TEXT NOT NULL,
  guest INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  likes INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  reward_xp INTEGER NOT NULL DEFAULT 0,
  reward_coins INTEGER NOT NULL DEFAULT 0,
  award_json TEXT,
  UNIQUE (room_id, seq),
  UNIQUE (room_id, user_id, client_id)
);
CREATE INDEX IF NOT EXISTS messages_by_session_user ON messages(session_id, user_id);
CREATE TABLE IF NOT EXISTS message_likes (
  message_id TEXT NOT NULL REFERENCES messages(id),
  user_id TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS xp_events (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta INTEGER NOT NULL,
  room_id TEXT,
  session_id TEXT,
  day TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  metadata TEXT
);
CREATE INDEX IF NOT EXISTS xp_events_by_user_day ON xp_events(user_id, source, day);
CREATE TABLE IF NOT EXISTS xp_totals (
  user_id TEXT PRIMARY KEY,
  total_xp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS coin_events (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta INTEGER NOT NULL,
  room_id TEXT,
  session_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS coin_events_by_user_time ON coin_events(user_id, source, created_at);
CREATE TABLE IF NOT EXISTS coin_balances (
  user_id TEXT PRIMARY KEY,
  balance INTEGER NOT NULL
);
`;

interface RoomRow {
  id: string;
  title: string;
  private: number;
  opens_at: number | null;
  closes_at: number | null;
  slow_mode_seconds: number;
  created_at: number;
  last_seq: number;
}
interface SessionRow {
  id: string;
  room_id: string;
  started_at: number;
  ended_at: number | null;
  likes: number;
}
interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  session_id: string;
  client_id: string;
  user_id: string;
  user_json: string;
  guest: number;
  text: string;
  created_at: number;
  likes: number;
  deleted: number;
  award_json: string | null;
}
interface ScoreRow {
  user_id: string;
  user_json: string;
  coins: number;
  messages: number;
  last_seq: number;
}

const toRoom = (r: RoomRow): RoomRecord => ({
  id: r.id,
  title: r.title,
  private: r.private === 1,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  slowModeSeconds: r.slow_mode_seconds,
  createdAt: r.created_at,
  lastSeq: r.last_seq,
});
const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  roomId: r.room_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  likes: r.likes,
});
const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  seq: r.seq,
  roomId: r.room_id,
  sessionId: r.session_id,
  clientId: r.client_id,
  user: JSON.parse(r.user_json) as UserRef,
  guest: r.guest === 1,
  text: r.text,
  createdAt: r.created_at,
  likes: r.likes,
  deleted: r.deleted === 1,
  award: r.award_json ? (JSON.parse(r.award_json) as AwardSnapshot) : null,
});

/**
 * Opens (creating when missing) `<dataDir>/live-chat.db` in WAL mode. With
 * `synchronous=NORMAL` (default) a committed, acknowledged message survives a crash of the
 * process; with `FULL` it also survives a power loss, at the price of an fsync per commit.
 */
export function openDatabase(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'live-chat.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Builds the SQLite ledger over an open database, creating the tables when missing.
 * Closing the ledger closes the database.
 */
export function createLedger(db: Database.Database): Ledger {
  db.exec(SCHEMA);

  const q = {
    ping: db.prepare('SELECT 1'),
    insertRoom: db.prepare(
      `INSERT OR IGNORE INTO rooms (id, title, private, opens_at, closes_at, slow_mode_seconds, created_at)
       VALUES (@id, @title, @private, @opensAt, @closesAt, @slowModeSeconds, @createdAt)`,
    ),
    getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
    listRooms: db.prepare<[], RoomRow>('SELECT * FROM rooms ORDER BY created_at, id'),
    bumpSeq: db.prepare<[string], { last_seq: number }>(
      'UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
    ),
    latestSession: db.prepare<[string], SessionRow>(
      'SELECT * FROM sessions WHERE room_id = ? ORDER BY rowid DESC LIMIT 1',
    ),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    insertSession: db.prepare('INSERT INTO sessions (id, room_id, started_at) VALUES (?, ?, ?)'),
    endSession: db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
    addLikes: db.prepare<[number, string], { likes: number }>(
      'UPDATE sessions SET likes = likes + ? WHERE id = ? RETURNING likes',
    ),
    byClientId: db.prepare<[string, string, string], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND user_id = ? AND client_id = ?',
    ),
    getMessage: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND id = ?'),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
         created_at, reward_xp, reward_coins, award_json)
       VALUES (@id, @roomId, @seq, @sessionId, @clientId, @userId, @userJson, @guest, @text,
         @createdAt, @xp, @coins, @awardJson)`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM (SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    after: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    likeExists: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM message_likes WHERE message_id = ? AND user_id = ?',
    ),
    addLike: db.prepare('INSERT INTO message_likes (message_id, user_id) VALUES (?, ?)'),
    removeLike: db.prepare('DELETE FROM message_likes WHERE message_id = ? AND user_id = ?'),
    setLikes: db.prepare<[number, string], { likes: number }>(
      'UPDATE messages SET likes = likes + ? WHERE id = ? RETURNING likes',
    ),
    deleteMessage: db.prepare("UPDATE messages SET deleted = 1, text = '' WHERE room_id = ? AND id = ?"),
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
    coinSum: db.prepare<[string], { s: number }>(
      'SELECT COALESCE(SUM(delta), 0) AS s FROM coin_events WHERE user_id = ?',
    ),
    users: db.prepare<[], { user_id: string }>(
      'SELECT user_id FROM xp_events UNION SELECT user_id FROM coin_events ORDER BY user_id',
    ),
  };

  const totalXpOf = (userId: string) => q.totalXp.get(userId)?.total_xp ?? 0;
  const balanceOf = (userId: string) => q.balance.get(userId)?.balance ?? 0;

  /** Starts a session for a room, ending the open one; runs inside the caller's transaction. */
  function startSessionTx(roomId: string, now: number): SessionRecord {
    const open = q.latestSession.get(roomId);
    if (open && open.ended_at === null) q.endSession.run(now, open.id);
    const id = `s_${randomUUID()}`;
    q.insertSession.run(id, roomId, now);
    return toSession(q.getSession.get(id)!);
  }

  /** The rule of {@link Ledger.ensureSession}; runs inside the caller's transaction. */
  function ensureSessionTx(roomId: string, now: number, opensAt: number | null) {
    const latest = q.latestSession.get(roomId);
    const windowOpened = opensAt !== null && opensAt <= now && (latest?.started_at ?? -Infinity) < opensAt;
    if (latest && latest.ended_at === null && !windowOpened) return { session: toSession(latest), started: false };
    return { session: startSessionTx(roomId, now), started: true };
  }

  const appendTx = db.transaction((input: AppendChatMessageInput): AppendChatMessageResult => {
    const existing = q.byClientId.get(input.roomId, input.user.id, input.clientId);
    if (existing) return { message: toMessage(existing), duplicate: true, sessionStarted: null };

    const bumped = q.bumpSeq.get(input.roomId);
    if (!bumped) throw new Error(`room ${input.roomId} does not exist`);
    const { session, started } = ensureSessionTx(input.roomId, input.now, input.opensAt);
    const id = randomUUID();
    const userId = input.user.id;

    let award: AwardSnapshot | null = null;
    if (input.decide) {
      const dailyChatXp = q.dailyChatXp.get(userId, input.day)!.xp;
      const lastCoinAt = q.lastCoinAt.get(userId)!.at;
      const decision = input.decide({ dailyChatXp, lastCoinAt, now: input.now });
      let xp = 0;
      let coins = 0;
      const event = { userId, kind: CHAT_KIND, source: 'chat', roomId: input.roomId, sessionId: session.id };
      if (decision.xp !== 0) {
        const inserted = q.insertXp.run({
          ...event,
          id: `chat:${id}`,
          delta: decision.xp,
          day: input.day,
          createdAt: input.now,
          metadata: null,
        });
        if (inserted.changes === 1) {
          q.addXpTotal.run(userId, decision.xp);
          xp = decision.xp;
        }
      }
      if (decision.coins !== 0) {
        const inserted = q.insertCoin.run({ ...event, id: `chat:${id}`, delta: decision.coins, createdAt: input.now });
        if (inserted.changes === 1) {
          q.addCoinBalance.run(userId, decision.coins);
          coins = decision.coins;
        }
      }
      const before = q.sessionUser.get(session.id, userId)!;
      award = {
        xp,
        coins,
        coinReason: decision.coinReason,
        totalXp: totalXpOf(userId),
        dailyXp: dailyChatXp + xp,
        coinBalance: balanceOf(userId),
        sessionCoins: before.coins + coins,
        sessionMessages: before.messages + 1,
        sessionId: session.id,
      };
    }

    q.insertMessage.run({
      id,
      roomId: input.roomId,
      seq: bumped.last_seq,
      sessionId: session.id,
      clientId: input.clientId,
      userId,
      userJson: JSON.stringify(input.user),
      guest: input.guest ? 1 : 0,
      text: input.text,
      createdAt: input.now,
      xp: award?.xp ?? 0,
      coins: award?.coins ?? 0,
      awardJson: award ? JSON.stringify(award) : null,
    });
    return {
      message: toMessage(q.getMessage.get(input.roomId, id)!),
      duplicate: false,
      sessionStarted: started ? session : null,
    };
  });

  const ensureTx = db.transaction(ensureSessionTx);
  const startTx = db.transaction(startSessionTx);
  const endTx = db.transaction((roomId: string, now: number): SessionRecord | null => {
    const open = q.latestSession.get(roomId);
    if (!open || open.ended_at !== null) return null;
    q.endSession.run(now, open.id);
    return toSession(q.getSession.get(open.id)!);
  });

  const toggleTx = db.transaction((roomId: string, messageId: string, userId: string) => {
    const message = q.getMessage.get(roomId, messageId);
    if (!message || message.deleted === 1) return null;
    const liked = !q.likeExists.get(messageId, userId);
    if (liked) q.addLike.run(messageId, userId);
    else q.removeLike.run(messageId, userId);
    const { likes } = q.setLikes.get(liked ? 1 : -1, messageId)!;
    return { likes, liked };
  });

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

  return {
    async ping() {
      q.ping.get();
    },
    async close() {
      if (db.open) db.close();
    },

    async createRoom(room) {
      const info = q.insertRoom.run({
        ...room,
        private: room.private ? 1 : 0,
      });
      return info.changes === 1;
    },
    async getRoom(roomId) {
      const row = q.getRoom.get(roomId);
      return row ? toRoom(row) : null;
    },
    async listRooms() {
      return q.listRooms.all().map(toRoom);
    },
    async updateRoom(roomId, patch: RoomPatch) {
      const columns: Record<keyof RoomPatch, string> = {
        title: 'title',
        opensAt: 'opens_at',
        closesAt: 'closes_at',
        slowModeSeconds: 'slow_mode_seconds',
      };
      const keys = (Object.keys(patch) as (keyof RoomPatch)[]).filter((k) => patch[k] !== undefined);
      if (keys.length > 0) {
        const set = keys.map((k) => `${columns[k]} = @${k}`).join(', ');
        db.prepare(`UPDATE rooms SET ${set} WHERE id = @roomId`).run({ ...patch, roomId });
      }
      const row = q.getRoom.get(roomId);
      return row ? toRoom(row) : null;
    },

    async latestSession(roomId) {
      const row = q.latestSession.get(roomId);
      return row ? toSession(row) : null;
    },
    async getSession(sessionId) {
      const row = q.getSession.get(sessionId);
      return row ? toSession(row) : null;
    },
    async ensureSession(roomId, now, opensAt) {
      return ensureTx.immediate(roomId, now, opensAt);
    },
    async startSession(roomId, now) {
      return startTx.immediate(roomId, now);
    },
    async endSession(roomId, now) {
      return endTx.immediate(roomId, now);
    },
    async addSessionLikes(sessionId, count) {
      return q.addLikes.get(count, sessionId)?.likes ?? 0;
    },

    async appendChatMessage(input) {
      return appendTx.immediate(input);
    },
    async findMessageByClientId(roomId, userId, clientId) {
      const row = q.byClientId.get(roomId, userId, clientId);
      return row ? toMessage(row) : null;
    },
    async getMessage(roomId, messageId) {
      const row = q.getMessage.get(roomId, messageId);
      return row ? toMessage(row) : null;
    },
    async messagesBefore(roomId, beforeSeq, limit) {
      return q.before.all(roomId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit).map(toMessage);
    },
    async messagesAfter(roomId, sinceSeq, limit) {
      return q.after.all(roomId, sinceSeq, limit).map(toMessage);
    },
    async toggleLike(roomId, messageId, userId) {
      return toggleTx.immediate(roomId, messageId, userId);
    },
    async deleteMessage(roomId, messageId) {
      const info = q.deleteMessage.run(roomId, messageId);
      if (info.changes === 0) return null;
      return toMessage(q.getMessage.get(roomId, messageId)!);
    },

    async userStanding(userId, day): Promise<UserStanding> {
      return {
        userId,
        totalXp: totalXpOf(userId),
        coinBalance: balanceOf(userId),
        dailyChatXp: q.dailyChatXp.get(userId, day)!.xp,
        lastCoinAt: q.lastCoinAt.get(userId)!.at,
      };
    },
    async sessionScores(sessionId): Promise<ScoreRecord[]> {
      return q.sessionScores.all(sessionId).map((r) => {
        const user = JSON.parse(r.user_json) as UserRef;
        return {
          userId: r.user_id,
          name: user.name,
          avatarUrl: user.avatarUrl,
          coins: r.coins,
          messages: r.messages,
          lastSeq: r.last_seq,
        };
      });
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
}
