/**
 * The PostgreSQL ledger against a real PostgreSQL started by the test (test/helpers/postgres.ts):
 * the ledger contract (a fresh database per test), then what only PostgreSQL shows: several
 * ledgers (as several instances would hold) on one database keep seq, clientId and awards
 * exact, migrations run once when instances start together, and a newer schema is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decideAward, needsNewSession, utcDay, type UserRef } from 'live-chat-protocol';
import type { AppendChatMessageInput, Ledger } from '../../../server/stores/ledger.ts';
import { migratePostgres, PG_MIGRATIONS } from '../../../server/stores/postgres/migrations.ts';
import { createPool, together, transaction, type Pool } from '../../../server/stores/postgres/pool.ts';
import { createPostgresLedger } from '../../../server/stores/postgres/postgres-ledger.ts';
import { startPostgres, type PostgresFixture } from '../../helpers/postgres.ts';
import { ledgerContract } from './ledger.contract.ts';

let postgres: PostgresFixture;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.stop();
});

ledgerContract('postgres', async () => {
  const ledger = createPostgresLedger({ connectionString: await postgres.createDatabase() });
  return {
    ledger,
    async cleanup() {
      await ledger.close();
    },
  };
});

const T0 = Date.parse('2030-01-15T12:00:00.000Z');
const rules = { xpPerMessage: 1, dailyXpCap: 50, coinsPerMessage: 1, coinCooldownSeconds: 300 };
const user: UserRef = { id: 'u1', name: 'U1', avatarUrl: null, badges: [] };
/** A chat message of `user` in room `r` at T0 (its text is its clientId unless given), under `rules`. */
const append = (clientId: string, text = clientId): AppendChatMessageInput => ({
  roomId: 'r',
  user,
  guest: false,
  clientId,
  text,
  now: T0,
  day: utcDay(T0),
  needsNewSession: (latest) => needsNewSession(latest, null, T0),
  decide: (state) => decideAward(rules, state),
});

/**
 * Stores a message row as an older schema version held it, by hand (a ledger would migrate the
 * database first): its text 'old', 1 XP.
 */
const insertOldMessage = (
  pool: Pool,
  m: { id: string; roomId: string; seq: number; sessionId: string; clientId: string; userId: string; userJson: string; createdAt: number },
) =>
  pool.query(
    `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at, reward_xp)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'old', $8, 1)`,
    [m.id, m.roomId, m.seq, m.sessionId, m.clientId, m.userId, m.userJson, m.createdAt],
  );

describe('PostgreSQL ledger shared by several instances', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('three ledgers on one database: migrations once, seqs unique, clientId once, the cap and the cooldown exact', async () => {
    const url = await postgres.createDatabase();
    const ledgers: Ledger[] = range(3).map(() => createPostgresLedger({ connectionString: url, poolSize: 5 }));
    try {
      await Promise.all(ledgers.map((l) => l.ping()));
      const pool = createPool(url, () => undefined);
      const versions = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      await pool.end();
      assert.deepEqual(versions.rows.map((r) => r.version), PG_MIGRATIONS.map((m) => m.version), 'each migration recorded once');

      assert.equal(await ledgers[0]!.createRoom({ id: 'r', title: 'R', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 }), true);
      const results = await Promise.all(range(200).map((i) => ledgers[i % 3]!.appendChatMessage(append(`m${i}`))));
      const dup = await Promise.all(range(6).map((i) => ledgers[i % 3]!.appendChatMessage(append('m0'))));
      assert.ok(dup.every((d) => d.duplicate && d.message.id === results[0]!.message.id), 'a duplicate on any instance answers the first message');
      assert.deepEqual(results.map((r) => r.message.seq).sort((a, b) => a - b), range(200).map((i) => i + 1));
      const awards = results.map((r) => r.message.award!);
      assert.equal(awards.reduce((s, a) => s + a.xp, 0), 50, 'exactly the daily cap');
      assert.equal(awards.reduce((s, a) => s + a.coins, 0), 1, 'one coin per cooldown');
      assert.equal(new Set(results.map((r) => r.message.sessionId)).size, 1, 'one session, however many instances');
      const standing = await ledgers[2]!.userStanding('u1', utcDay(T0));
      assert.deepEqual([standing.totalXp, standing.coinBalance, standing.dailyChatXp], [50, 1, 50]);
      const audit = await ledgers[1]!.audit('u1');
      assert.deepEqual([audit.totalXp, audit.coinBalance], [audit.xpEventsSum, audit.coinEventsSum]);
    } finally {
      await Promise.all(ledgers.map((l) => l.close()));
    }
  });

  it('refuses a database whose schema is newer than this server', async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url, () => undefined);
    try {
      await migratePostgres(pool);
      await pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
      await assert.rejects(migratePostgres(pool), /newer than this server knows/);
      const ledger = createPostgresLedger({ connectionString: url });
      await assert.rejects(ledger.ping(), /newer than this server knows/);
      await ledger.close();
    } finally {
      await pool.end();
    }
  });

  it('rolls a failing migration back and keeps the earlier ones', async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url, () => undefined);
    try {
      const broken = [...PG_MIGRATIONS, { version: PG_MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half (x INT); SELECT no_such_column FROM rooms' }];
      await assert.rejects(migratePostgres(pool, broken));
      const { rows } = await pool.query<{ v: number }>('SELECT MAX(version) AS v FROM schema_migrations');
      assert.equal(rows[0]!.v, PG_MIGRATIONS.length);
      const half = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'half'");
      assert.equal(half.rowCount, 0, 'nothing of the failed migration stays');
    } finally {
      await pool.end();
    }
  });
});

describe('PostgreSQL migration 4: no per-row foreign-key checks on the chat append', () => {
  it('drops the three keys of a version-3 database, keeps its rows and the other keys; the append still stores no row without its room and session', async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url, () => undefined);
    const foreignKeys = async () =>
      (await pool.query<{ name: string }>("SELECT conrelid::regclass || '.' || conname AS name FROM pg_constraint WHERE contype = 'f' ORDER BY 1")).rows.map((r) => r.name);
    let ledger: Ledger | undefined;
    try {
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 3));
      const before = await foreignKeys();
      for (const key of ['messages.messages_room_id_fkey', 'messages.messages_session_id_fkey', 'session_users.session_users_session_id_fkey']) {
        assert.ok(before.includes(key), `version 3 has ${key}`);
      }
      await pool.query(`INSERT INTO rooms (id, title, created_at) VALUES ('r', 'R', ${T0})`);
      await pool.query(`INSERT INTO sessions (id, room_id, started_at) VALUES ('s_old', 'r', ${T0 - 1000})`);

      // The ledger migrates to the newest version as it starts.
      ledger = createPostgresLedger({ connectionString: url });
      const first = await ledger.appendChatMessage(append('m1'));
      assert.deepEqual(await foreignKeys(), before.filter((k) => !/^(messages\.messages_(room|session)_id|session_users\.session_users_session_id)_fkey$/.test(k)));
      assert.equal(first.message.sessionId, 's_old', 'the rows of version 3 are read as before');
      await assert.rejects(ledger.appendChatMessages([append('m2'), { ...append('m3'), roomId: 'nowhere' }]), /room nowhere does not exist/);
      const started = await ledger.appendChatMessage({ ...append('m4'), needsNewSession: () => true });
      assert.ok(started.sessionStarted, 'a session started in the transaction');
      const orphans = await pool.query<{ n: number }>(
        `SELECT (SELECT COUNT(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE id = m.room_id)
                   OR NOT EXISTS (SELECT 1 FROM sessions WHERE id = m.session_id AND room_id = m.room_id))
              + (SELECT COUNT(*) FROM session_users su WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE id = su.session_id)) AS n`,
      );
      assert.equal(orphans.rows[0]!.n, 0, 'every message in its room and one of its sessions; every counter of a session');
      const stored = await pool.query<{ client_id: string }>('SELECT client_id FROM messages ORDER BY seq');
      assert.deepEqual(stored.rows.map((r) => r.client_id), ['m1', 'm4'], 'nothing of the failed batch');
    } finally {
      await ledger?.close();
      await pool.end();
    }
  });
});

describe('PostgreSQL migration 5: recaps by seq range, no per-message session index', () => {
  it("fills a version-4 database's sessions' first seqs (an empty one's from its room), drops the index, and recaps as before; a session started in a batch starts at its message's seq", async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url, () => undefined);
    let ledger: Ledger | undefined;
    try {
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 4));
      const users = ['u1', 'u2'].map((id) => JSON.stringify({ id, name: id.toUpperCase(), avatarUrl: null, badges: [] }));
      await pool.query(`INSERT INTO rooms (id, title, created_at, last_seq) VALUES ('r', 'R', ${T0}, 5)`);
      // In ordinal order: s1 (seqs 1–3), s2 without messages, s3 (seqs 4–5).
      for (const id of ['s1', 's2', 's3']) await pool.query(`INSERT INTO sessions (id, room_id, started_at) VALUES ($1, 'r', ${T0})`, [id]);
      const rows: [number, string, number][] = [[1, 's1', 0], [2, 's1', 1], [3, 's1', 0], [4, 's3', 1], [5, 's3', 1]];
      for (const [seq, sessionId, who] of rows) {
        const id = `m${seq}`;
        await insertOldMessage(pool, { id, roomId: 'r', seq, sessionId, clientId: id, userId: `u${who + 1}`, userJson: users[who]!, createdAt: T0 + seq * 60_000 });
      }

      ledger = createPostgresLedger({ connectionString: url });
      await ledger.ping();
      const firstSeqs = await pool.query<{ id: string; first_seq: number }>('SELECT id, first_seq FROM sessions ORDER BY ordinal');
      assert.deepEqual(firstSeqs.rows.map((r) => [r.id, r.first_seq]), [['s1', 1], ['s2', 6], ['s3', 4]]);
      assert.equal((await pool.query("SELECT 1 FROM pg_indexes WHERE indexname = 'messages_by_session'")).rowCount, 0);

      const s1 = await ledger.sessionActivity('s1');
      assert.deepEqual(s1.messagesByMinute.map((m) => m.messages), [1, 1, 1], "s1's three, not s3's (its range reaches the empty s2's first seq)");
      assert.deepEqual(s1.chatters.map((c) => [c.user.id, c.messages, c.xp, c.firstSeq]).sort(), [['u1', 2, 2, 1], ['u2', 1, 1, 2]]);
      assert.deepEqual((await ledger.sessionActivity('s2')).chatters, []);
      assert.deepEqual((await ledger.sessionActivity('s3')).chatters.map((c) => [c.user.id, c.messages, c.firstSeq]), [['u2', 2, 4]]);

      const [, started] = await ledger.appendChatMessages([append('n1'), { ...append('n2'), needsNewSession: () => true }]);
      assert.ok(started!.sessionStarted);
      const { rows: fresh } = await pool.query<{ first_seq: number }>('SELECT first_seq FROM sessions WHERE id = $1', [started!.message.sessionId]);
      assert.deepEqual([fresh[0]!.first_seq, started!.message.seq], [7, 7], 'its first seq is the seq of the message that started it');
      assert.deepEqual((await ledger.sessionActivity(started!.message.sessionId)).chatters.map((c) => [c.user.id, c.messages]), [['u1', 1]]);
      assert.equal(
        (await ledger.sessionActivity('s3')).chatters.find((c) => c.user.id === 'u1')?.messages,
        1,
        'n1 went to the newest session of then (s3)',
      );
    } finally {
      await ledger?.close();
      await pool.end();
    }
  });
});

describe('PostgreSQL migration 6: the clientId key led by user and clientId', () => {
  it("rebuilds a version-5 database's key and keeps its rows; a clientId stays unique per room and user, the same one in another room a new message", async () => {
    const url = await postgres.createDatabase();
    const pool = createPool(url, () => undefined);
    const uniqueKeys = async () =>
      (
        await pool.query<{ name: string; def: string }>(
          "SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'messages'::regclass AND contype = 'u'",
        )
      ).rows.map((r) => `${r.name} ${r.def}`);
    let ledger: Ledger | undefined;
    try {
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 5));
      assert.ok((await uniqueKeys()).includes('messages_room_id_user_id_client_id_key UNIQUE (room_id, user_id, client_id)'));
      for (const [room, lastSeq] of [['r', 1], ['r2', 1], ['r3', 0]] as const) {
        await pool.query(`INSERT INTO rooms (id, title, created_at, last_seq) VALUES ($1, $1, ${T0}, $2)`, [room, lastSeq]);
      }
      // The same user and clientId in two rooms: two messages under either key.
      for (const [id, room] of [['m1', 'r'], ['m2', 'r2']]) {
        await pool.query(`INSERT INTO sessions (id, room_id, started_at, first_seq) VALUES ($1, $2, ${T0}, 1)`, [`s-${room}`, room]);
        await insertOldMessage(pool, { id, roomId: room, seq: 1, sessionId: `s-${room}`, clientId: 'c1', userId: user.id, userJson: JSON.stringify(user), createdAt: T0 });
      }

      // The ledger migrates to the newest version as it starts.
      ledger = createPostgresLedger({ connectionString: url });
      await ledger.ping();
      const keys = await uniqueKeys();
      assert.ok(keys.includes('messages_user_client_room_key UNIQUE (user_id, client_id, room_id)'), keys.join('; '));
      assert.ok(!keys.some((k) => k.startsWith('messages_room_id_user_id_client_id_key')), 'the old key is gone');

      const retry = await ledger.appendChatMessage(append('c1'));
      assert.deepEqual([retry.duplicate, retry.message.id], [true, 'm1'], "a retry in r answers r's message");
      // One batch: a retry in r2, the clientId new in r3, and its retry in the same batch.
      const [inR2, inR3, again] = await ledger.appendChatMessages([
        { ...append('c1'), roomId: 'r2' },
        { ...append('c1'), roomId: 'r3' },
        { ...append('c1'), roomId: 'r3' },
      ]);
      assert.deepEqual([inR2!.duplicate, inR2!.message.id], [true, 'm2'], "r2's own message, not r's");
      assert.deepEqual([inR3!.duplicate, inR3!.message.roomId, inR3!.message.seq], [false, 'r3', 1], 'stored in r3');
      assert.deepEqual([again!.duplicate, again!.message.id], [true, inR3!.message.id], 'the batch answers its own earlier message');
      assert.equal((await ledger.findMessageByClientId('r', 'u1', 'c1'))?.id, 'm1');
      assert.equal((await ledger.findMessageByClientId('r3', 'u1', 'c1'))?.id, inR3!.message.id);
      assert.equal(await ledger.findMessageByClientId('r4', 'u1', 'c1'), null, 'none in a room without it');
      const { rows } = await pool.query<{ room_id: string; n: number }>('SELECT room_id, COUNT(*)::int AS n FROM messages GROUP BY room_id ORDER BY room_id');
      assert.deepEqual(rows.map((r) => [r.room_id, r.n]), [['r', 1], ['r2', 1], ['r3', 1]], 'one message per room');
    } finally {
      await ledger?.close();
      await pool.end();
    }
  });
});

describe('PostgreSQL ledger: one read per room and turn', () => {
  it('gives the calls of one turn one read, started after all of them; a later call reads again and sees later writes', async () => {
    const ledger = createPostgresLedger({ connectionString: await postgres.createDatabase() });
    try {
      await ledger.createRoom({ id: 'storm', title: 'Before', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: 0 });
      await ledger.createRoom({ id: 'other', title: 'Other', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: 0 });
      // A join storm's turn: every call shares one frozen answer; another room reads on its own.
      const turn = await Promise.all([...Array.from({ length: 20 }, () => ledger.getRoomWithLatestSession('storm')), ledger.getRoomWithLatestSession('other')]);
      const shared = turn[0]!;
      assert.ok(turn.slice(0, 20).every((read) => read === shared), 'one answer for the 20 calls of the turn');
      assert.equal(turn[20]!.room.id, 'other');
      assert.ok(Object.isFrozen(shared) && Object.isFrozen(shared.room));
      assert.equal(shared.room.title, 'Before');

      // A write awaited before the call is seen: the call never shares a read started before it.
      await ledger.updateRoom('storm', { title: 'After' });
      const pending = ledger.getRoomWithLatestSession('storm');
      const later = await pending;
      assert.notEqual(later, shared);
      assert.equal(later!.room.title, 'After');
      assert.equal(await ledger.getRoomWithLatestSession('missing'), null);
    } finally {
      await ledger.close();
    }
  });
});

describe('PostgreSQL ledger: the pipelined append (append.ts)', () => {
  const room = { id: 'r', title: 'R', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 };

  it('a batch whose write fails (sent with its COMMIT) stores nothing, and the next append takes the next seq', async () => {
    const ledger = createPostgresLedger({ connectionString: await postgres.createDatabase(), poolSize: 1 });
    try {
      await ledger.createRoom(room);
      const first = await ledger.appendChatMessage(append('m1'));
      // PostgreSQL's text refuses a NUL character (the text rule strips it before a real
      // append): the reads pass, the write's JSON fails.
      await assert.rejects(ledger.appendChatMessages([append('m2'), append('m3', 'nul \u0000 inside')]), /unsupported Unicode escape sequence/);
      assert.deepEqual((await ledger.messagesAfter('r', 0, 10)).map((m) => m.clientId), ['m1'], 'nothing of the failed batch');
      const standing = await ledger.userStanding('u1', utcDay(T0));
      assert.deepEqual([standing.totalXp, standing.coinBalance, standing.dailyChatXp], [first.message.award!.totalXp, 1, 1]);
      // The one pooled connection is usable again: its pipeline was drained and rolled back.
      const next = await ledger.appendChatMessage(append('m2'));
      assert.equal(next.message.seq, 2);
      assert.equal(next.duplicate, false);
    } finally {
      await ledger.close();
    }
  });

  it('a deferred statement that fails: its error, nothing of the transaction stored, no unhandled rejection, the connection usable', async () => {
    const pool = createPool(await postgres.createDatabase(), () => undefined, 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await pool.query('CREATE TABLE t (x int)');
      let ran = 0;
      await assert.rejects(
        transaction(pool, async (client, defer) => {
          ran++;
          defer(() => client.query('SELECT 1 / 0'));
          await client.query('INSERT INTO t VALUES (1)');
          return 'committed';
        }),
        /division by zero/,
      );
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(unhandled, []);
      assert.equal(ran, 1, 'not a retryable failure: run once');
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
      assert.equal(rows[0]!.n, 0, "the work's insert rolled back; the one pooled connection answers again");
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await pool.end();
    }
  });

  it("statements made together go out in one socket write; a transaction writes BEGIN with the work's first statements and the deferred ones with COMMIT", async () => {
    const pool = createPool(await postgres.createDatabase(), () => undefined, 1);
    try {
      const client = await pool.connect();
      const socket = client.connection.stream as typeof client.connection.stream & { _write: Function; _writev: Function };
      let writes = 0;
      for (const method of ['_write', '_writev'] as const) {
        const original = socket[method];
        socket[method] = function (this: unknown, ...args: unknown[]) {
          writes++;
          return original.apply(this, args);
        };
      }
      try {
        const answers = await together(client, () => Promise.all([client.query('SELECT 1 AS a'), client.query('SELECT $1::int AS b', [2])]));
        assert.deepEqual(answers.map((r) => r.rows[0]), [{ a: 1 }, { b: 2 }]);
        assert.equal(writes, 1, 'one write for both');
      } finally {
        client.release();
      }
      writes = 0;
      const answer = await transaction(pool, async (tx, defer) => {
        const [one, two] = await Promise.all([tx.query('SELECT 1 AS one'), tx.query('SELECT 2 AS two')]);
        defer(() => tx.query('SELECT 3'));
        defer(() => tx.query('SELECT 4'));
        return [one.rows[0], two.rows[0]];
      });
      assert.deepEqual(answer, [{ one: 1 }, { two: 2 }]);
      assert.equal(writes, 2, 'BEGIN with the two reads, the deferred statements with COMMIT');
    } finally {
      await pool.end();
    }
  });

  /**
   * Rows of each table read by ten appends of `u1` in room `r` (two of them replies to an early
   * message), on a ledger of one connection whose cached plans are made first, while `setUp`
   * left the tables as they are at the start of an event, and after 20,000 rows were added to
   * each table the send path reads (the room's history, other users' rows). Autovacuum is off:
   * no ANALYZE changes the statistics the plans were made with.
   */
  async function rowsReadByAppends(
    setUp: (db: { pool: ReturnType<typeof createPool>; ledger: Ledger; url: string }) => Promise<void>,
  ): Promise<Map<string, number>> {
    const url = await postgres.createDatabase();
    const ledger = createPostgresLedger({ connectionString: url, poolSize: 1 });
    const pool = createPool(url, () => undefined);
    const tables = ['messages', 'users', 'user_days', 'session_users', 'sessions', 'rooms'];
    try {
      await ledger.ping();
      for (const table of tables) await pool.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
      await ledger.createRoom(room);
      await setUp({ pool, ledger, url });
      // Ten appends: the connection's cached plans are made now.
      for (let i = 0; i < 10; i++) await ledger.appendChatMessage(append(`warm${i}`));
      const first = (await ledger.messagesAfter('r', 0, 1))[0]!;
      await pool.query(
        `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at)
         SELECT 'bulk' || n, 'r', 10 + n, $1, 'bulk' || n, 'u2', '{}', 'bulk', $2 FROM generate_series(1, 20000) AS n`,
        [first.sessionId, T0],
      );
      await pool.query('UPDATE rooms SET last_seq = 20010 WHERE id = $1', ['r']);
      await pool.query(`INSERT INTO users (id) SELECT 'bulk' || n FROM generate_series(1, 20000) AS n`);
      await pool.query(`INSERT INTO user_days (user_id, day) SELECT 'bulk' || n, $1 FROM generate_series(1, 20000) AS n`, [utcDay(T0)]);
      await pool.query(
        `INSERT INTO session_users (session_id, user_id, user_json, guest, last_seq) SELECT $1, 'bulk' || n, '{}', false, 1 FROM generate_series(1, 20000) AS n`,
        [first.sessionId],
      );
      const rowsRead = async () => {
        // A backend reports its table statistics as it goes idle, when its last report is a
        // second old: wait, then end one more statement (reading no table) on the ledger's one
        // connection and on the test's own.
        await new Promise((r) => setTimeout(r, 1100));
        await ledger.ping();
        await pool.query('SELECT 1');
        const { rows } = await pool.query<{ relname: string; read: number }>(
          'SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0) AS read FROM pg_stat_user_tables WHERE relname = ANY($1)',
          [tables],
        );
        return new Map(rows.map((r) => [r.relname, r.read]));
      };
      const replyTo = { id: first.id, seq: first.seq, userId: 'u1', name: 'U1', text: first.text };
      const before = await rowsRead();
      for (let i = 0; i < 10; i++) await ledger.appendChatMessage({ ...append(`after${i}`), replyTo: i < 2 ? replyTo : null });
      const after = await rowsRead();
      return new Map(tables.map((table) => [table, after.get(table)! - before.get(table)!]));
    } finally {
      await pool.end();
      await ledger.close();
    }
  }

  const assertFewRowsRead = (read: Map<string, number>) => {
    for (const [table, rows] of read) assert.ok(rows < 100, `${table}: ${rows} rows read by ten appends`);
  };

  it("the append's cached plans look rows up by index: a few rows read per append once the tables grew, planned on empty tables", async () => {
    assertFewRowsRead(await rowsReadByAppends(async () => undefined));
  });

  it("the append's cached plans look rows up by index when they were made after an ANALYZE of 50 rooms of one message each", async () => {
    assertFewRowsRead(
      await rowsReadByAppends(async ({ pool, url }) => {
        // Another instance's appends (this ledger's plans are not made yet), analysed: a room
        // then looks as selective as a message's id (before migration 6, a reply's look-up of
        // its original took the `(room_id, seq)` index and read the room's history).
        const other = createPostgresLedger({ connectionString: url, poolSize: 1 });
        try {
          for (let i = 0; i < 50; i++) {
            await other.createRoom({ ...room, id: `o${i}` });
            await other.appendChatMessage({ ...append(`o${i}`), roomId: `o${i}`, user: { ...user, id: `ou${i}` } });
          }
        } finally {
          await other.close();
        }
        await pool.query('ANALYZE');
      }),
    );
  });

  it("the append's cached plans look rows up by index when they were made while 100 rooms held a message each", async () => {
    assertFewRowsRead(
      await rowsReadByAppends(async ({ pool, ledger }) => {
        // The start of an event over many rooms, with ids of real length: a room then looks as
        // selective as a message's (room, user, clientId) key and as its id, and its
        // `(room_id, seq)` index is the smaller one (before migration 6, the append's duplicate
        // check and a reply's look-up took it, and read the room's history at every batch).
        for (let i = 0; i < 100; i++) await ledger.createRoom({ ...room, id: `tp-r0-100-${i}` });
        await pool.query(`INSERT INTO sessions (id, room_id, started_at, first_seq) SELECT 's-tp-r0-100-' || n, 'tp-r0-100-' || n, $1, 1 FROM generate_series(0, 99) AS n`, [T0]);
        await pool.query(
          `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at)
           SELECT 'm' || n, 'tp-r0-100-' || n, 1, 's-tp-r0-100-' || n, gen_random_uuid()::text, 'user-0190f3a2-7c1e-7d8e-' || n, '{}', 'x', $1
           FROM generate_series(0, 99) AS n`,
          [T0],
        );
      }),
    );
  });
});
