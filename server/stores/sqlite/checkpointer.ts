/**
 * WAL checkpoints off the event loop (issue 8, "Group commit"; docs/server.md, "Storage").
 *
 * In WAL mode SQLite appends every commit to `live-chat.db-wal`; a checkpoint copies those
 * pages back into the database file. By default the connection that commits does it itself,
 * inside the commit that crosses 1,000 pages: with better-sqlite3 that is the server's one
 * thread, stalled while it copies. Here the serving connection never checkpoints
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection to the same file
 * runs `PRAGMA wal_checkpoint(PASSIVE)`: it copies what it can without ever blocking a
 * writer or a reader, again at once while it is behind, then every `intervalMs`. SQLite
 * restarts the WAL from its start at the next commit after a checkpoint has caught up, and
 * `journal_size_limit` trims the file then. Under a write load with no quiet moment the
 * worker never quite catches up, so once the WAL holds `RESTART_FRAMES` pages the serving
 * connection runs `wal_checkpoint(RESTART)` itself: it copies only the few pages the worker
 * has not, and starts the WAL over. The file stays bounded either way.
 *
 * Durability is unchanged: a commit is in the WAL before it is acknowledged, whoever copies
 * it later. When the worker cannot run (it fails to start or dies), the serving connection
 * takes checkpoints back (`wal_autocheckpoint = 1000`, SQLite's default) and `onError` hears why.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface Checkpointer {
  /** Stops the worker (its connection closes); resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Pause between checkpoints once the worker has caught up, in ms (default 250). */
  intervalMs?: number;
  /** WAL pages at which the serving connection restarts the WAL itself (default {@link RESTART_FRAMES}). */
  restartFrames?: number;
  /** Told when the worker failed; checkpoints are back on the serving connection by then. */
  onError?(err: Error): void;
}

/** Bytes the WAL file is trimmed to when SQLite restarts it (64 MiB). */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** WAL pages (frames) at which the serving connection restarts the WAL itself (32 MiB of 4 KiB pages). */
export const RESTART_FRAMES = 8192;

/**
 * The worker's code, run as a CommonJS script (`eval`), so it needs no file of its own in
 * either the TypeScript sources or the compiled package. `driver` is better-sqlite3's
 * resolved path, as the server itself loads it.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
let timer = null;
let stopped = false;
const run = () => {
  timer = null;
  if (stopped) return;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  // A WAL that never saw a quiet moment is never restarted: ask the serving connection, and
  // stay out of its way (no checkpoint of ours holding the lock) until it answers.
  if (result.log >= workerData.restartFrames) return parentPort.postMessage('restart');
  const behind = result.busy === 0 && result.checkpointed < result.log;
  timer = setTimeout(run, behind ? 0 : workerData.intervalMs);
};
parentPort.on('message', (message) => {
  // The WAL starts over at the next commit: until then it still counts its old pages.
  if (message === 'restarted' && timer === null) timer = setTimeout(run, workerData.intervalMs);
  if (message !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
run();
`;

/**
 * `wal_checkpoint(RESTART)` on the serving connection, without waiting: the worker pauses
 * while it runs; should anything else hold the lock, it answers busy at once and the worker
 * asks again after its next round.
 */
function restartWal(db: Database.Database): void {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(RESTART)');
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/**
 * Starts checkpointing `db`'s file from a worker thread (see the module comment). Does
 * nothing for an in-memory database (no WAL).
 * @param db an open better-sqlite3 connection in WAL mode, the one the server commits on.
 * @returns a {@link Checkpointer}; never throws (a worker that cannot start is reported to
 *   `onError` and the connection keeps checkpointing itself).
 */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions = {}): Checkpointer {
  if (db.memory) return { stop: async () => undefined };
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const takeBack = (err: Error) => {
    if (stopping) return;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
    options.onError?.(err);
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER, {
      eval: true,
      workerData: { file: db.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: options.intervalMs ?? 250, restartFrames: options.restartFrames ?? RESTART_FRAMES },
    });
  } catch (err) {
    takeBack(err as Error);
    return { stop: async () => undefined };
  }
  // The server's lifetime decides, not this thread's.
  worker.unref();
  worker.on('error', takeBack);
  worker.on('message', (message) => {
    if (message !== 'restart' || stopping || !db.open) return;
    try {
      restartWal(db);
    } catch (err) {
      // Not a lock (that answers busy, no throw): the connection checkpoints itself from now on.
      takeBack(err as Error);
    } finally {
      worker.postMessage('restarted');
    }
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('exit', (code) => {
    if (!stopping) takeBack(new Error(`the checkpoint worker exited with ${code}`));
  });
  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        // Waiting for the exit must keep the process alive until it happens.
        worker.ref();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
