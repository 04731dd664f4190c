/**
 * The SQLite ledger's schema as numbered migrations (docs/server.md, "Economy"). Each migration runs
 * once, in its own transaction, and its version is recorded in `schema_migrations` in the same
 * transaction: a crash mid-migration leaves the previous version, never half a schema.
 *
 * Migration 1 is the schema the first release created with `CREATE TABLE IF NOT EXISTS` and no
 * version. It keeps `IF NOT EXISTS`, so on a database file of that release (tables present,
 * no `schema_migrations`) it finds everything in place, changes nothing, and records version
 * 1: old files open with their data. Later migrations must NOT rely on `IF NOT EXISTS`; they
 * run exactly once per database.
 */
import type Database from 'better-sqlite3';
import { addCounters } from './counters.ts';
import { REPLIES_AND_REACTIONS_SCHEMA } from './reactions.ts';

export interface Migration {
  /** 1, 2, 3, … without gaps; the order they run in. */
  version: number;
  /** What it does, for the record and logs. */
  name: string;
  /** SQL (one or more statements) or a function, run inside the migration's transaction. */
  up: string | ((db: Database.Database) => void);
}

const INITIAL_SCHEMA = `
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

/**
 * Migration 3 (issue 9): the pinned message of a room, restrictions (a timeout and a ban per
 * room and user, surviving restarts), the append-only moderation log, and per-minute session
 * counts for recaps (hearts and occupancy samples; messages per minute are read from
 * `messages`).
 */
const MODERATION_AND_RECAP = `
ALTER TABLE rooms ADD COLUMN pinned_message_id TEXT;
CREATE TABLE restrictions (
  room_id TEXT NOT NULL REFERENCES rooms(id),
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('timeout', 'ban')),
  until INTEGER,
  reason TEXT,
  actor_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id, kind)
) WITHOUT ROWID;
CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_json TEXT NOT NULL,
  action TEXT NOT NULL,
  target_user_id TEXT,
  message_id TEXT,
  reason TEXT,
  details TEXT
);
CREATE INDEX moderation_log_by_room ON moderation_log(room_id, id);
CREATE TABLE session_minutes (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  minute INTEGER NOT NULL,
  hearts INTEGER NOT NULL DEFAULT 0,
  viewers_peak INTEGER NOT NULL DEFAULT 0,
  viewers_sum INTEGER NOT NULL DEFAULT 0,
  viewers_samples INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, minute)
) WITHOUT ROWID;
`;

/**
 * Migration 5 (issue 8, constant cost per message): two indexes every message paid for with a
 * B-tree page of its own in every commit (its session's and its user's leaf), which the send
 * path never reads. A recap reads a session's messages as one seq range of its room instead:
 * `sessions.first_seq`, the seq its first message gets (messages are assigned to sessions in
 * seq order), filled here from the messages, or, for a session without any, from its room. `xp_events` keeps its primary key; a user's events are summed by
 * `audit()` only (tests and tools), which may scan.
 */
const SESSION_SEQ_RANGES = `
ALTER TABLE sessions ADD COLUMN first_seq INTEGER;
UPDATE sessions SET first_seq = COALESCE(
  (SELECT MIN(seq) FROM messages WHERE session_id = sessions.id),
  (SELECT last_seq + 1 FROM rooms WHERE id = sessions.room_id));
DROP INDEX messages_by_session_user;
DROP INDEX xp_events_by_user_day;
`;

/** The ledger's migrations, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', up: INITIAL_SCHEMA },
  { version: 2, name: 'running counters (session, day, coin time)', up: addCounters },
  { version: 3, name: 'pins, restrictions, moderation log, session minutes', up: MODERATION_AND_RECAP },
  { version: 4, name: 'replies and reactions (likes become ❤️ reactions)', up: REPLIES_AND_REACTIONS_SCHEMA },
  { version: 5, name: 'session seq ranges; no per-message session and user-day indexes', up: SESSION_SEQ_RANGES },
];

const VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/** The newest migration recorded in the database; 0 for a new file or one of the first release. */
export function schemaVersion(db: Database.Database): number {
  db.exec(VERSION_TABLE);
  return db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get()!.v ?? 0;
}

/**
 * Brings the database to the newest of `migrations`, each pending one in its own IMMEDIATE
 * transaction (so two processes opening one file cannot both run it: the second re-reads the
 * version under the lock and skips).
 * @param now ms since the epoch, recorded as `applied_at`.
 * @returns the versions applied now (empty when up to date) and the version reached.
 * @throws when `migrations` are not numbered 1, 2, 3, …; when the database records a version
 *   newer than this code knows (an older server on a newer file); or when a migration fails
 *   (that migration is rolled back, earlier ones stay).
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: number = Date.now(),
): { applied: number[]; version: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}: number them 1, 2, 3, …`);
  });
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new Error(`the database is at schema version ${current}, newer than this server knows (${latest}); upgrade the server`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const readVersion = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const applied: number[] = [];
  for (const m of migrations.slice(current)) {
    const run = db.transaction(() => {
      if ((readVersion.get()!.v ?? 0) >= m.version) return false;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name, now);
      return true;
    });
    if (run.immediate()) applied.push(m.version);
  }
  return { applied, version: Math.max(current, latest) };
}
