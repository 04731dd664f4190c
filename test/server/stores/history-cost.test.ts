/**
 * The cost of a chat message does not grow with history (issue 8, "constant cost per
 * message"), checked without timings: everything the SQLite ledger runs for a `chat.send` of
 * a user with thousands of messages in the session, in a room with thousands of messages, is
 * what it runs for a user's first message (the same statements, as many), and every one of
 * them reads rows by key: its query plan searches a primary key or a unique index with every
 * column bound by equality (or an index in order with `LIMIT 1`), and scans nothing.
 *
 * The timing (msg/s for a fresh user and one with 20,000 messages) is measured outside the
 * tests, once, and reported; tests never assert timings.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type Database from 'better-sqlite3';
import { utcDay } from 'live-chat-protocol';
import { createMetrics } from '../../../server/metrics.ts';
import { createServices, type Services } from '../../../server/services/index.ts';
import type { Identity } from '../../../server/services/identity.ts';
import { createMemoryHotStore } from '../../../server/stores/memory-hot-store.ts';
import type { Ledger } from '../../../server/stores/ledger.ts';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { TestClock, tempDir, testConfig } from '../helpers.ts';

/** Messages of the heavy user in one session and UTC day before the measured send. */
const HISTORY = 3000;

/**
 * Tables a send may read by a prefix of their primary key, because what the rest of the key
 * can take is a small fixed set, not history.
 */
const BOUNDED_PREFIX: Record<string, string> = {
  restrictions: 'one row per kind (timeout, ban) for a room and user',
};

/** Records the SQL of every statement `db` runs while `recording`; `db.prepare` must not have been called yet. */
function recordStatements(db: Database.Database) {
  const log = { recording: false, executed: [] as string[] };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['run', 'get', 'all', 'iterate']) {
      const original = statement[method]!.bind(statement);
      statement[method] = (...args: unknown[]) => {
        if (log.recording) log.executed.push(sql.replace(/\s+/g, ' ').trim());
        return original(...args);
      };
    }
    return statement;
  }) as unknown as typeof db.prepare;
  return { log, prepare };
}

/**
 * Why a statement may read more than a few rows, or null when its plan only searches by key.
 * Allowed plan lines: a search of a primary key or a unique index with all its columns bound
 * by `=`, or of any index with all its columns bound when the statement reads one row in the
 * index's order (`LIMIT 1`, no temp b-tree).
 */
function unboundedRead(db: Database.Database, prepare: (sql: string) => Database.Statement, sql: string): string | null {
  const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
  const positional = (sql.match(/\?/g) ?? []).length;
  const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (names.length > 0 ? plan.all(Object.fromEntries(names.map((n) => [n, null]))) : plan.all(...Array(positional).fill(null))) as {
    detail: string;
  }[];
  const limitOne = /\bLIMIT 1\b/i.test(sql);
  for (const { detail } of rows) {
    // A SELECT without FROM (one row) and the headers of its scalar subqueries, whose reads
    // are the SEARCH lines that follow: not reads of their own.
    if (/^(SCAN CONSTANT ROW|SCALAR SUBQUERY \d+)$/.test(detail)) continue;
    const pk = /^SEARCH (\w+) USING (?:INTEGER )?PRIMARY KEY \((.+)\)$/.exec(detail);
    if (pk) {
      const bound = pk[2]!.split(' AND ').map((c) => c.replace(/=\?$/, ''));
      if (bound[0] === 'rowid') continue;
      const keyColumns = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`).all(pk[1]!) as { name: string }[]).map((r) => r.name);
      if (pk[2]!.split(' AND ').every((c) => c.endsWith('=?')) && (keyColumns.every((c) => bound.includes(c)) || pk[1]! in BOUNDED_PREFIX)) continue;
      return `${detail}: part of the primary key`;
    }
    const index = /^SEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \((.+)\)$/.exec(detail);
    if (index) {
      const [, table, name, constraint] = index;
      const bound = constraint!.split(' AND ');
      const columns = (db.prepare('SELECT name FROM pragma_index_info(?)').all(name!) as { name: string }[]).map((r) => r.name);
      const unique = (db.prepare('SELECT "unique" AS u FROM pragma_index_list(?) WHERE name = ?').get(table!, name!) as { u: number }).u === 1;
      const allBound = bound.every((c) => c.endsWith('=?')) && columns.every((c) => bound.includes(`${c}=?`));
      if (allBound && (unique || (limitOne && !rows.some((r) => r.detail.includes('TEMP B-TREE'))))) continue;
      return `${detail}: ${allBound ? 'not unique' : 'not every column bound by ='}`;
    }
    return detail;
  }
  return null;
}

describe('constant cost per message (SQLite ledger)', () => {
  const clock = new TestClock();
  const dir = tempDir();
  let db: Database.Database;
  let recorder: ReturnType<typeof recordStatements>;
  let ledger: Ledger;
  let services: Services;
  const identities = new Map<string, Identity>();

  before(async () => {
    db = openDatabase(dir);
    recorder = recordStatements(db);
    ledger = createLedger(db);
    const config = testConfig(dir, { messagesPerMinute: 100_000, coinCooldownSeconds: 0, dailyXpCap: 1_000_000_000 });
    services = createServices({ config, ledger, hot: createMemoryHotStore(), clock: clock.now, logger: pino({ level: 'silent' }), metrics: createMetrics() });
    await services.rooms.ensureDefault();
    for (const name of ['Warm Wes', 'Fresh Fay', 'Heavy Hal']) {
      identities.set(name, await services.identity.authenticate(await services.identity.mintDevToken(name, [])));
    }
    await services.chat.send(identities.get('Warm Wes')!, { roomId: 'lobby', clientId: 'warm-up', text: 'first' });
    // Heavy Hal's history: HISTORY messages in the lobby's session, today.
    const hal = identities.get('Heavy Hal')!;
    const now = clock.now();
    for (let b = 0; b < HISTORY / 500; b++) {
      await ledger.appendChatMessages(
        Array.from({ length: 500 }, (_, i) => ({
          roomId: 'lobby',
          user: hal.user,
          guest: false,
          clientId: `history-${b}-${i}`,
          text: `message ${i}`,
          now,
          day: utcDay(now),
          needsNewSession: () => false,
          decide: services.rewards.decide,
        })),
      );
    }
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The statements one send of `name` runs. */
  async function sendRecorded(name: string, clientId: string) {
    recorder.log.executed = [];
    recorder.log.recording = true;
    try {
      const result = await services.chat.send(identities.get(name)!, { roomId: 'lobby', clientId, text: 'measured' });
      return { result, executed: recorder.log.executed };
    } finally {
      recorder.log.recording = false;
    }
  }

  it('runs the same statements for a user with a long history as for a first message', async () => {
    const fresh = await sendRecorded('Fresh Fay', 'fresh-1');
    const heavy = await sendRecorded('Heavy Hal', 'heavy-1');
    assert.equal(fresh.result.reward!.sessionCoins, 1);
    assert.equal(heavy.result.message.seq, HISTORY + 3);
    assert.equal(heavy.result.reward!.sessionCoins, HISTORY + 1, 'the counters hold the history');
    assert.ok(fresh.executed.length > 0, 'the recorder sees the statements');
    assert.deepEqual(heavy.executed, fresh.executed);
  });

  it('reads only by key in every statement of a send', async () => {
    const { executed } = await sendRecorded('Heavy Hal', 'heavy-2');
    const unbounded = [...new Set(executed)]
      .map((sql) => ({ sql, why: unboundedRead(db, recorder.prepare, sql) }))
      .filter((s) => s.why !== null);
    assert.deepEqual(unbounded, []);
  });

  it('tells a growing read from a keyed one (the check can fail)', () => {
    const old = 'SELECT COALESCE(SUM(reward_coins), 0) AS coins, COUNT(*) AS messages FROM messages WHERE session_id = ? AND user_id = ?';
    // Since migration 5 no index starts with session_id: the old read scans the table.
    assert.match(unboundedRead(db, recorder.prepare, old) ?? '', /SCAN messages/);
    assert.notEqual(unboundedRead(db, recorder.prepare, 'SELECT * FROM messages WHERE room_id = ?'), null);
    assert.equal(unboundedRead(db, recorder.prepare, 'SELECT * FROM rooms WHERE id = ?'), null);
  });
});
