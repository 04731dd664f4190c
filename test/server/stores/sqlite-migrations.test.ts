/**
 * The SQLite ledger's versioned schema: a new file gets every migration once, a file made by
 * the first release (tables created with `IF NOT EXISTS`, no version recorded) opens with its
 * data, and the runner applies each migration once, in a transaction.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { decideAward, needsNewSession } from 'live-chat-protocol';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../../../server/stores/sqlite/migrations.ts';
import { tempDir } from '../helpers.ts';

const T0 = Date.parse('2030-01-15T12:00:00.000Z');

/** The schema SQL of the first release, as it shipped (no version table). */
const FIRST_RELEASE_SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, private INTEGER NOT NULL DEFAULT 0, opens_at INTEGER,
  closes_at INTEGER, slow_mode_seconds INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id), started_at INTEGER NOT NULL,
  ended_at INTEGER, likes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_by_room ON sessions(room_id);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id), seq INTEGER NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions(id), client_id TEXT NOT NULL, user_id TEXT NOT NULL,
  user_json TEXT NOT NULL, guest INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL, created_at INTEGER NOT NULL,
  likes INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, reward_xp INTEGER NOT NULL DEFAULT 0,
  reward_coins INTEGER NOT NULL DEFAULT 0, award_json TEXT,
  UNIQUE (room_id, seq), UNIQUE (room_id, user_id, client_id)
);
CREATE INDEX IF NOT EXISTS messages_by_session_user ON messages(session_id, user_id);
CREATE TABLE IF NOT EXISTS message_likes (
  message_id TEXT NOT NULL REFERENCES messages(id), user_id TEXT NOT NULL, PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS xp_events (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta INTEGER NOT NULL, room_id TEXT, session_id TEXT, day TEXT NOT NULL, created_at INTEGER NOT NULL, metadata TEXT
);
CREATE INDEX IF NOT EXISTS xp_events_by_user_day ON xp_events(user_id, source, day);
CREATE TABLE IF NOT EXISTS xp_totals (user_id TEXT PRIMARY KEY, total_xp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS coin_events (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('chat', 'api')),
  delta INTEGER NOT NULL, room_id TEXT, session_id TEXT, created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS coin_events_by_user_time ON coin_events(user_id, source, created_at);
CREATE TABLE IF NOT EXISTS coin_balances (user_id TEXT PRIMARY KEY, balance INTEGER NOT NULL);
`;

/** What the first release wrote for one room, one session and one awarded message by u1. */
const FIRST_RELEASE_DATA = `
INSERT INTO rooms (id, title, private, created_at, last_seq) VALUES ('lobby', 'Lobby', 0, ${T0}, 1);
INSERT INTO sessions (id, room_id, started_at, likes) VALUES ('s_old', 'lobby', ${T0}, 7);
INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at, reward_xp, reward_coins, award_json)
  VALUES ('m_old', 'lobby', 1, 's_old', 'c_old', 'u1', '{"id":"u1","name":"Old Ann","avatarUrl":null,"badges":[]}', 'from the old days',
          ${T0}, 1, 1, '{"xp":1,"coins":1,"coinReason":"chat_message","totalXp":1,"dailyXp":1,"coinBalance":1,"sessionCoins":1,"sessionMessages":1,"sessionId":"s_old"}');
INSERT INTO xp_events (id, user_id, kind, source, delta, room_id, session_id, day, created_at)
  VALUES ('chat:m_old', 'u1', 'chat_message', 'chat', 1, 'lobby', 's_old', '2030-01-15', ${T0});
INSERT INTO xp_totals (user_id, total_xp) VALUES ('u1', 1);
INSERT INTO coin_events (id, user_id, kind, source, delta, room_id, session_id, created_at)
  VALUES ('chat:m_old', 'u1', 'chat_message', 'chat', 1, 'lobby', 's_old', ${T0});
INSERT INTO coin_balances (user_id, balance) VALUES ('u1', 1);
`;

const rules = { xpPerMessage: 1, dailyXpCap: 50, coinsPerMessage: 1, coinCooldownSeconds: 300 };

describe('SQLite schema migrations', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gives a new file every migration, once, and records the version', async () => {
    const d = dir();
    const ledger = createLedger(openDatabase(d));
    await ledger.close();
    const db = openDatabase(d);
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      assert.deepEqual(migrate(db), { applied: [], version: MIGRATIONS.length }, 'nothing to apply the second time');
    } finally {
      db.close();
    }
  });

  it('opens a file of the first release (no version recorded) and keeps its data', async () => {
    const d = dir();
    const old = new Database(path.join(d, 'live-chat.db'));
    old.exec(FIRST_RELEASE_SCHEMA);
    old.exec(FIRST_RELEASE_DATA);
    old.close();

    const ledger = createLedger(openDatabase(d));
    try {
      assert.deepEqual(await ledger.getRoom('lobby'), {
        id: 'lobby',
        title: 'Lobby',
        private: false,
        opensAt: null,
        closesAt: null,
        slowModeSeconds: 0,
        createdAt: T0,
        lastSeq: 1,
        pinnedMessageId: null,
      });
      const [message] = await ledger.messagesAfter('lobby', 0, 10);
      assert.equal(message!.text, 'from the old days');
      assert.equal(message!.user.name, 'Old Ann');
      assert.equal(message!.award!.sessionId, 's_old');
      assert.equal((await ledger.latestSession('lobby'))!.likes, 7);
      assert.deepEqual(await ledger.audit('u1'), { userId: 'u1', totalXp: 1, xpEventsSum: 1, coinBalance: 1, coinEventsSum: 1 });

      // It goes on where the old server stopped: next seq, same session, the cooldown remembered.
      const next = await ledger.appendChatMessage({
        roomId: 'lobby',
        user: { id: 'u1', name: 'Old Ann', avatarUrl: null, badges: [] },
        guest: false,
        clientId: 'c_new',
        text: 'and now',
        now: T0 + 1000,
        day: '2030-01-15',
        needsNewSession: (latest) => needsNewSession(latest, null, T0 + 1000),
        decide: (state) => decideAward(rules, state),
      });
      assert.deepEqual([next.message.seq, next.message.sessionId, next.message.award!.coins], [2, 's_old', 0]);
      assert.equal(next.message.award!.totalXp, 2);
      // Migration 5 gave the old session its seq range: its recap reads both messages.
      assert.deepEqual(
        (await ledger.sessionActivity('s_old')).chatters.map((c) => [c.user.id, c.messages, c.firstSeq]),
        [['u1', 2, 1]],
      );
    } finally {
      await ledger.close();
    }
    const db = openDatabase(d);
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  describe('the runner', () => {
    const withDb = (run: (db: Database.Database) => void) => {
      const db = openDatabase(dir());
      try {
        run(db);
      } finally {
        db.close();
      }
    };
    const table = (db: Database.Database, name: string) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    const v2: Migration = { version: 2, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' };

    it('applies each pending migration once, in order, recording when', () => {
      withDb((db) => {
        const ran: number[] = [];
        const v3: Migration = {
          version: 3,
          name: 'seed notes',
          up: (d) => {
            ran.push(3);
            d.prepare("INSERT INTO notes (body) VALUES ('hello')").run();
          },
        };
        assert.deepEqual(migrate(db, [MIGRATIONS[0]!, v2], T0), { applied: [1, 2], version: 2 });
        assert.deepEqual(migrate(db, [MIGRATIONS[0]!, v2, v3], T0 + 1), { applied: [3], version: 3 });
        assert.deepEqual(migrate(db, [MIGRATIONS[0]!, v2, v3], T0 + 2), { applied: [], version: 3 });
        assert.deepEqual(ran, [3]);
        assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM notes').get()!.n, 1);
        assert.deepEqual(db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all(), [
          { version: 1, applied_at: T0 },
          { version: 2, applied_at: T0 },
          { version: 3, applied_at: T0 + 1 },
        ]);
      });
    });

    it('rolls a failing migration back whole, keeping the ones before it', () => {
      withDb((db) => {
        const broken: Migration = { version: 3, name: 'broken', up: 'CREATE TABLE half (id INTEGER); INSERT INTO missing VALUES (1);' };
        assert.throws(() => migrate(db, [MIGRATIONS[0]!, v2, broken]), /missing/);
        assert.equal(schemaVersion(db), 2);
        assert.equal(table(db, 'notes'), true);
        assert.equal(table(db, 'half'), false, 'nothing of the failed migration is left');
      });
    });

    it('refuses migrations numbered out of order, and a database newer than the code', () => {
      withDb((db) => {
        assert.throws(() => migrate(db, [MIGRATIONS[0]!, { ...v2, version: 3 }]), /numbered 3/);
        assert.equal(schemaVersion(db), 0, 'nothing ran');
        migrate(db, [MIGRATIONS[0]!, v2]);
        assert.throws(() => migrate(db, [MIGRATIONS[0]!]), /newer than this server/);
      });
    });
  });
});
