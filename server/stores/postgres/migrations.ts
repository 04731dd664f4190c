/**
 * The PostgreSQL ledger's schema as numbered migrations (its own list, independent of the
 * SQLite one). Each pending migration runs in its own transaction under a transaction-level
 * advisory lock ({@link MIGRATION_LOCK}), re-reading the version after taking it, so several
 * instances starting at once apply each migration exactly once; its version is recorded in
 * `schema_migrations` in the same transaction (PostgreSQL DDL is transactional: a failed
 * migration leaves the previous version, never half a schema).
 *
 * The schema keeps running counters from the start, so nothing in the send path reads more
 * rows as history grows:
 * - `rooms.last_seq`: the seq counter (the room row is the per-room lock of an append);
 * - `users`: total XP, coin balance and last chat-coin time (the per-user row locked
 *   `FOR UPDATE` while an award is decided);
 * - `user_days`: chat XP per user and UTC day (the daily cap);
 * - `session_users`: messages, coins and last seq per session and user (award snapshots and
 *   leaderboards).
 * Events (`xp_events`, `coin_events`) are append-only; the totals change in the same
 * transaction, so `total = Σ events` always (the audit checks it).
 */
import type { Client, Pool } from './pool.ts';
import { PG_REPLIES_AND_REACTIONS_SCHEMA } from './reactions.ts';

export interface PgMigration {
  /** 1, 2, 3, … without gaps. */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}

/** Key of the advisory lock migrations run under (any constant shared by every instance). */
export const MIGRATION_LOCK = 0x6c6368; // "lch"

const INITIAL_SCHEMA = `
CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  private BOOLEAN NOT NULL DEFAULT FALSE,
  opens_at BIGINT,
  closes_at BIGINT,
  slow_mode_seconds INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  ordinal BIGSERIAL NOT NULL UNIQUE,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  likes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_newest_by_room ON sessions (room_id, ordinal DESC);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  seq BIGINT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_json TEXT NOT NULL,
  guest BOOLEAN NOT NULL DEFAULT FALSE,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  likes INTEGER NOT NULL DEFAULT 0,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  reward_xp INTEGER NOT NULL DEFAULT 0,
  reward_coins INTEGER NOT NULL DEFAULT 0,
  award_json TEXT,
  UNIQUE (room_id, seq),
  UNIQUE (room_id, user_id, client_id)
);
CREATE TABLE message_likes (
  message_id TEXT NOT NULL REFERENCES messages(id),
  user_id TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id)
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  total_xp BIGINT NOT NULL DEFAULT 0,
  coin_balance BIGINT NOT NULL DEFAULT 0,
  last_coin_at BIGINT
);
CREATE TABLE user_days (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  chat_xp BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, day)
);
CREATE TABLE session_users (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  user_id TEXT NOT NULL,
  user_json TEXT NOT NULL,
  guest BOOLEAN NOT NULL,
  messages BIGINT NOT NULL DEFAULT 0,
  coins BIGINT NOT NULL DEFAULT 0,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (session_id, user_id)
);
CREATE TABLE xp_events (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta BIGINT NOT NULL,
  room_id TEXT,
  session_id TEXT,
  day TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  metadata TEXT
);
CREATE INDEX xp_events_by_user ON xp_events (user_id);
CREATE TABLE coin_events (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta BIGINT NOT NULL,
  room_id TEXT,
  session_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX coin_events_by_user ON coin_events (user_id);
`;

/**
 * Issue 9: the pinned message of a room, restrictions (a timeout and a ban per room and user,
 * surviving restarts), the append-only moderation log (its id is the page cursor), and
 * per-minute session counts for recaps (hearts and occupancy samples).
 */
const MODERATION_AND_RECAP = `
ALTER TABLE rooms ADD COLUMN pinned_message_id TEXT;
CREATE TABLE restrictions (
  room_id TEXT NOT NULL REFERENCES rooms(id),
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('timeout', 'ban')),
  until BIGINT,
  reason TEXT,
  actor_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (room_id, user_id, kind)
);
CREATE TABLE moderation_log (
  id BIGSERIAL PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_json TEXT NOT NULL,
  action TEXT NOT NULL,
  target_user_id TEXT,
  message_id TEXT,
  reason TEXT,
  details TEXT
);
CREATE INDEX moderation_log_by_room ON moderation_log (room_id, id DESC);
CREATE TABLE session_minutes (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  minute BIGINT NOT NULL,
  hearts BIGINT NOT NULL DEFAULT 0,
  viewers_peak BIGINT NOT NULL DEFAULT 0,
  viewers_sum BIGINT NOT NULL DEFAULT 0,
  viewers_samples BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, minute)
);
CREATE INDEX messages_by_session ON messages (session_id);
`;

/**
 * Migration 4 (issue 8): no per-row foreign-key check on the chat append. PostgreSQL checks a
 * foreign key with a query per inserted row that also locks the referenced row (`FOR KEY
 * SHARE`): with three such keys, a message's rows took twice the time to write (64–85 → 34–38
 * µs a message of the batch's write, 50-message batches over 100 rooms, `pg_stat_statements`).
 * The append keeps what they kept: it stores a message only in a room it holds locked (`FOR
 * UPDATE`; an unknown room fails the batch) and in that room's newest session or one it starts
 * in the same transaction, and no room, session or message is ever deleted. The other foreign
 * keys stay (written off the send path).
 */
const NO_APPEND_FOREIGN_KEYS = `
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_room_id_fkey;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_session_id_fkey;
ALTER TABLE session_users DROP CONSTRAINT IF EXISTS session_users_session_id_fkey;
`;

/**
 * Migration 5 (issue 8, as the SQLite ledger's migration 5): no `messages (session_id)` index,
 * an entry every message paid for and the send path never reads (measured as for migration 4,
 * three alternating pairs: the append's write 32.9–35.6 → 30.6–34.0 µs a message, a batch
 * 6.7–7.5 → 6.5–7.2 ms; small, and the two ledgers now read recaps alike). A recap
 * reads its session's messages as one seq range of its room instead: `sessions.first_seq`, the
 * seq its first message gets (a room's messages go to its sessions in seq order), filled here
 * from the messages or, for a session without any, from its room.
 */
const SESSION_SEQ_RANGES = `
ALTER TABLE sessions ADD COLUMN first_seq BIGINT;
UPDATE sessions s SET first_seq = COALESCE(
  (SELECT MIN(seq) FROM messages WHERE session_id = s.id),
  (SELECT last_seq + 1 FROM rooms WHERE id = s.room_id));
DROP INDEX messages_by_session;
`;

/**
 * Migration 6 (issue 8): the unique key of a message's clientId leads with the user and the
 * clientId, `(user_id, client_id, room_id)` instead of `(room_id, user_id, client_id)`, so the
 * append's duplicate check (`append.ts`) names only that index's leading columns: no other
 * index can serve it, whatever the statistics its plan was made with. Led by the room, the key
 * shared its leading column with `(room_id, seq)`, and a plan made while many rooms held a few
 * messages each (the start of an event) read the room's whole history through that index at
 * every batch (`postgres-ledger.test.ts`; in the bench's 100 rooms, a third to three fifths of
 * the database's time on the append). The new index is built before the old one goes, in one
 * transaction that holds `messages` locked (ACCESS EXCLUSIVE: its reads and writes wait): 1.2 s
 * for 1,000,000 messages (496 MB) on the test fixture's PostgreSQL, in a scratch script.
 */
const CLIENT_ID_KEY = `
ALTER TABLE messages ADD CONSTRAINT messages_user_client_room_key UNIQUE (user_id, client_id, room_id);
ALTER TABLE messages DROP CONSTRAINT messages_room_id_user_id_client_id_key;
`;

/** The PostgreSQL ledger's migrations, oldest first. Append new ones; never edit one that has shipped. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  { version: 1, name: 'initial schema with running counters', up: INITIAL_SCHEMA },
  { version: 2, name: 'pins, restrictions, moderation log, session minutes', up: MODERATION_AND_RECAP },
  { version: 3, name: 'replies and reactions (likes become ❤️ reactions)', up: PG_REPLIES_AND_REACTIONS_SCHEMA },
  { version: 4, name: 'no per-row foreign-key checks on the chat append', up: NO_APPEND_FOREIGN_KEYS },
  { version: 5, name: 'session seq ranges; no per-message session index', up: SESSION_SEQ_RANGES },
  { version: 6, name: 'the clientId key led by user and clientId', up: CLIENT_ID_KEY },
];

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

async function lockedVersion(client: Client): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(VERSION_TABLE);
  const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

/**
 * Brings the database to the newest of `migrations`, one transaction per pending migration,
 * each under the advisory lock.
 * @param now ms since the epoch, recorded as `applied_at`.
 * @returns the versions applied by this call (empty when another instance did them or none
 *   were pending) and the version reached.
 * @throws when `migrations` are not numbered 1, 2, 3, …; when the database records a version
 *   newer than this code knows (upgrade the server); or when a migration fails (rolled back,
 *   earlier ones stay).
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  now: number = Date.now(),
): Promise<{ applied: number[]; version: number }> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}: number them 1, 2, 3, …`);
  });
  const applied: number[] = [];
  const client = await pool.connect();
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        const current = await lockedVersion(client);
        if (current > migrations.length) {
          throw new Error(
            `the database is at schema version ${current}, newer than this server knows (${migrations.length}); upgrade the server`,
          );
        }
        const next = migrations[current];
        if (!next) {
          await client.query('COMMIT');
          return { applied, version: current };
        }
        await client.query(next.up);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [next.version, next.name, now]);
        await client.query('COMMIT');
        applied.push(next.version);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    client.release();
  }
}
