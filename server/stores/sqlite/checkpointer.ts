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
 * connection runs `wal_checkpoint(RESTART)` itself: it copies the pages the worker has not,
 * and starts the WAL over. That runs on the event loop, so the worker first catches up: it
 * checkpoints again at once until a round had at most `TAIL_FRAMES` pages to copy (or a
 * round copied no fewer than the one before, or the WAL grew by another `RESTART_FRAMES`
 * since the catch-up began: writes outpacing it; or `CATCH_UP_ROUNDS` rounds have run), and
 * asks for the restart right after such a round, leaving the serving connection only the
 * pages committed since (a few ms of writes, not the hundreds of ms a long round lets pile
 * up). The file stays bounded either way.
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
  /** A restart is asked for right after a round that copied at most this many pages (default {@link TAIL_FRAMES}). */
  tailFrames?: number;
  /** Told when the worker failed; checkpoints are back on the serving connection by then. */
  onError?(err: Error): void;
  /** Told about each WAL restart the serving connection ran (not told when it failed or answered busy). */
  onRestart?(restart: WalRestart): void;
}

/** One WAL restart on the serving connection. */
export interface WalRestart {
  /** How long it held the event loop, in ms. */
  ms: number;
  /** Pages the worker's round just before it copied (≤ `tailFrames` once caught up). */
  lastRoundFrames: number;
  /** Catch-up rounds the worker ran before asking (at most {@link CATCH_UP_ROUNDS}). */
  catchUpRounds: number;
}

/** Bytes the WAL file is trimmed to when SQLite restarts it (64 MiB). */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** WAL pages (frames) at which the serving connection restarts the WAL itself (32 MiB of 4 KiB pages). */
export const RESTART_FRAMES = 8192;
/** Pages a checkpoint round may have copied for the restart to follow it (1 MiB of 4 KiB pages). */
export const TAIL_FRAMES = 256;
/** Catch-up rounds after which the restart is asked for anyway (writes outpacing the copies). */
export const CATCH_UP_ROUNDS = 8;

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
// Pages of the current WAL copied so far (to tell how much a round copied), catch-up rounds
// run, and the pages the last of them copied.
let copied = 0;
let catchUp = 0;
let lastRound = 0;
// The WAL's length when the current catch-up began.
let catchUpFrom = 0;
const run = () => {
  timer = null;
  if (stopped) return;
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  const thisRound = result.checkpointed >= copied ? result.checkpointed - copied : result.checkpointed;
  copied = Math.max(result.checkpointed, 0);
  // A WAL that never saw a quiet moment is never restarted: once this round left only a short
  // tail (or catching up takes too long), ask the serving connection, and stay out of its way
  // (no checkpoint of ours holding the lock) until it answers.
  if (result.log >= workerData.restartFrames) {
    // Writes that outpace the copies (a round no shorter than the one before, or a WAL grown
    // by another threshold's worth since the catch-up began) are not waited out.
    if (catchUp === 0) catchUpFrom = result.log;
    const converging = (catchUp === 0 || thisRound < lastRound) && result.log < catchUpFrom + workerData.restartFrames;
    if (thisRound <= workerData.tailFrames || !converging || catchUp >= workerData.catchUpRounds) {
      parentPort.postMessage({ restart: true, lastRoundFrames: thisRound, catchUpRounds: catchUp });
      catchUp = 0;
      return;
    }
    lastRound = thisRound;
    catchUp++;
    timer = setTimeout(run, 0);
    return;
  }
  const behind = result.busy === 0 && result.checkpointed < result.log;
  timer = setTimeout(run, behind ? 0 : workerData.intervalMs);
};
parentPort.on('message', (message) => {
  // The WAL starts over at the next commit: until then it still counts its old pages.
  if (message === 'restarted' && timer === null) {
    copied = 0;
    timer = setTimeout(run, workerData.intervalMs);
  }
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
 * @returns whether the WAL was restarted (false: busy, it stays as it was).
 * @throws a database error other than busy.
 */
function restartWal(db: Database.Database): boolean {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const [result] = db.pragma('wal_checkpoint(RESTART)') as { busy: number }[];
    return result?.busy === 0;
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
      workerData: {
        file: db.name,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? 250,
        restartFrames: options.restartFrames ?? RESTART_FRAMES,
        tailFrames: options.tailFrames ?? TAIL_FRAMES,
        catchUpRounds: CATCH_UP_ROUNDS,
      },
    });
  } catch (err) {
    takeBack(err as Error);
    return { stop: async () => undefined };
  }
  // The server's lifetime decides, not this thread's.
  worker.unref();
  worker.on('error', takeBack);
  worker.on('message', (message) => {
    if (message?.restart !== true || stopping || !db.open) return;
    try {
      const started = performance.now();
      if (restartWal(db)) {
        const { lastRoundFrames, catchUpRounds } = message as WalRestart;
        options.onRestart?.({ ms: performance.now() - started, lastRoundFrames, catchUpRounds });
      }
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
