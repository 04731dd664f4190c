/**
 * WAL checkpoints in a worker thread (server/stores/sqlite/checkpointer.ts), on real SQLite
 * files: the serving connection never checkpoints, the worker copies the WAL into the
 * database file, the WAL stays bounded under writes that never pause, the worker catches up
 * before it asks the serving connection for a restart, a restart a reader holds up is not
 * counted, a worker that cannot
 * run or a WAL restart that fails hands checkpoints back, and closing the ledger leaves no WAL
 * behind.
 */
import assert from 'node:assert/strict';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type Database from 'better-sqlite3';
import { CATCH_UP_ROUNDS, startCheckpointer, type WalRestart } from '../../../server/stores/sqlite/checkpointer.ts';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { tempDir } from '../helpers.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(): { db: Database.Database; file: string } {
  const dir = tempDir();
  dirs.push(dir);
  const db = openDatabase(dir);
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { db, file: path.join(dir, 'live-chat.db') };
}

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const body = 'x'.repeat(1000);

/** A transaction of 50 rows of 1 KB (~13 pages of the WAL) on `db`. */
function batchOf(db: Database.Database): () => void {
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  return db.transaction(() => {
    for (let i = 0; i < 50; i++) insert.run(body);
  });
}

/** Waits (≤ 10 s) for `done()`. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SQLite checkpoints in a worker thread', () => {
  it('copies the WAL into the database file while the serving connection never checkpoints', async () => {
    const { db, file } = open();
    const checkpointer = startCheckpointer(db, { intervalMs: 10 });
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
      const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
      const before = size(file);
      for (let i = 0; i < 500; i++) insert.run(body);
      // 500 KB written to the WAL; only a checkpoint moves it into the database file.
      await until(() => size(file) > before + 400_000, 'the worker to checkpoint');
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM rows').get() as { n: number }).n, 500);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('keeps the WAL bounded under writes that never leave it a quiet moment', async () => {
    const { db, file } = open();
    const restartFrames = 64;
    let restarts = 0;
    const checkpointer = startCheckpointer(db, { intervalMs: 1, restartFrames, onRestart: () => restarts++ });
    // The file keeps its largest size; trimmed at each restart, it shows the WAL as it is now.
    db.pragma('journal_size_limit = 1000000');
    try {
      const batch = batchOf(db);
      // The worker is up once it has copied a first transaction into the database file.
      const empty = size(file);
      batch();
      await until(() => size(file) > empty, 'the worker to start');
      let largest = 0;
      // ~50 MB in transactions of 50 KB, yielding to the event loop between them as the server does.
      for (let n = 0; n < 1000; n++) {
        batch();
        largest = Math.max(largest, size(`${file}-wal`));
        await tick();
      }
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM rows').get() as { n: number }).n, 50_050);
      // Without restarts the WAL would hold all ~50 MB; it restarts soon after 64 pages (256 KB).
      assert.ok(restarts >= 5, `${restarts} WAL restarts`);
      // How far past the threshold it gets depends on how the threads take turns (a catch-up
      // may add up to another threshold's worth, then the restart waits for the event loop):
      // 3–8 MB at most on a quiet machine, more on a busy one. Less than half of the ~50 MB
      // written is what shows the restarts at work.
      assert.ok(largest < 25_000_000, `the WAL grew to ${largest} bytes`);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('catches up before it asks for a restart, so the serving connection copies only a short tail', async () => {
    const { db } = open();
    const tailFrames = 32;
    const restarts: WalRestart[] = [];
    const checkpointer = startCheckpointer(db, { intervalMs: 50, restartFrames: 512, tailFrames, onRestart: (r) => restarts.push(r) });
    try {
      const batch = batchOf(db);
      // ~13 pages a transaction, one every millisecond or so (a server has other work between
      // commits): a 50 ms pause lets hundreds of pages pile up, a round without one far fewer.
      for (let n = 0; n < 5000 && restarts.length < 5; n++) {
        batch();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.ok(restarts.length >= 5, `${restarts.length} restarts: ${JSON.stringify(restarts)}`);
      for (const r of restarts) assert.ok(r.ms >= 0 && r.catchUpRounds <= CATCH_UP_ROUNDS);
      // A restart after a round of more than the tail: only when catching up stopped converging.
      const caughtUp = restarts.filter((r) => r.lastRoundFrames <= tailFrames);
      assert.ok(caughtUp.length > 0, `no restart followed a short round: ${JSON.stringify(restarts)}`);
      // The first round past the threshold copies everything since the pause: the worker caught up before asking.
      assert.ok(restarts.some((r) => r.catchUpRounds > 0), 'no restart followed a catch-up');
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('does not count a restart that a reader holds up (busy), and restarts once the reader is done', async () => {
    const { db, file } = open();
    const restarts: WalRestart[] = [];
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(db, {
      intervalMs: 5,
      restartFrames: 64,
      onRestart: (r) => restarts.push(r),
      onError: (err) => failures.push(err),
    });
    let asked = 0;
    const pragma = db.pragma.bind(db);
    db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (source === 'wal_checkpoint(RESTART)') asked++;
      return pragma(source, options);
    }) as typeof db.pragma;
    // A reader in the middle of a transaction: the WAL cannot start over under its snapshot.
    const reader = new BetterSqlite3(file);
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) AS n FROM rows').get();
      const batch = batchOf(db);
      for (let n = 0; n < 2000 && asked < 3; n++) {
        batch();
        await tick();
      }
      assert.ok(asked >= 3, `the worker asked for ${asked} restarts`);
      assert.deepEqual(restarts, [], 'a restart that answered busy was counted');
      reader.exec('COMMIT');
      for (let n = 0; n < 2000 && restarts.length === 0; n++) {
        batch();
        await tick();
      }
      assert.ok(restarts.length > 0, 'no restart once the reader was done');
      assert.deepEqual(failures, []);
    } finally {
      reader.close();
      await checkpointer.stop();
      db.close();
    }
  });

  it('hands checkpoints back to the serving connection when the worker cannot open the file', async () => {
    const { db, file } = open();
    // The worker opens the file by name (it must exist): moved away, it cannot.
    renameSync(file, `${file}.moved`);
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(db, { onError: (err) => failures.push(err) });
    try {
      await until(() => failures.length > 0, 'the worker to fail');
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
      db.prepare('INSERT INTO rows (body) VALUES (?)').run('still writable');
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('hands checkpoints back when a WAL restart fails, and the worker goes on', async () => {
    const { db } = open();
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(db, { intervalMs: 1, restartFrames: 16, onError: (err) => failures.push(err) });
    // A restart that fails other than by a lock (a full or failing disk): injected into the real connection.
    const injected = new Error('disk I/O error (injected)');
    const pragma = db.pragma.bind(db);
    db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (source === 'wal_checkpoint(RESTART)') throw injected;
      return pragma(source, options);
    }) as typeof db.pragma;
    try {
      const batch = batchOf(db);
      // Writes that never leave the WAL a quiet moment: the worker asks for restarts, which fail.
      for (let n = 0; n < 2000 && failures.length < 2; n++) {
        batch();
        await tick();
      }
      assert.ok(failures.length >= 2, `${failures.length} failed restarts: the worker stopped asking after the first`);
      assert.ok(failures.every((err) => err === injected));
      assert.equal(pragma('wal_autocheckpoint', { simple: true }), 1000, 'the connection checkpoints itself again');
      assert.equal(pragma('busy_timeout', { simple: true }), 5000, 'the busy timeout is back');
      db.prepare('INSERT INTO rows (body) VALUES (?)').run('still writable');
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('stops with the ledger, which leaves no WAL file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'live-chat.db');
    const ledger = createLedger(openDatabase(dir));
    await ledger.createRoom({ id: 'lobby', title: 'Lobby', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: 0 });
    assert.ok(existsSync(`${file}-wal`));
    await ledger.close();
    assert.equal(existsSync(`${file}-wal`), false);
  });
});
