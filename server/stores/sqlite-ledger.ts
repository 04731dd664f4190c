/**
 * The SQLite {@link Ledger} (better-sqlite3, WAL). better-sqlite3 is synchronous, so every
 * method runs to completion before its promise settles and each write is one transaction:
 * there is no interleaving inside `appendChatMessage`, which is what makes the daily cap and
 * the coin cooldown exact under any concurrency.
 *
 * A storage port: it holds no rule. The award rule and the session rule come with each call
 * that needs them (`decide`, `needsNewSession`) and run inside the transaction.
 *
 * One file per concept under `sqlite/`: `migrations.ts` (the versioned schema), `rows.ts`
 * (row mappers), and the queries per aggregate: `rooms-sessions.ts`, `messages.ts` (with
 * the append and replies), `reactions.ts` (reactions and likes, migration 4), `economy.ts`
 * (XP, coins, standings, scores, audit).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Ledger } from './ledger.ts';
import { economy } from './sqlite/economy.ts';
import { messages } from './sqlite/messages.ts';
import { startCheckpointer, type WalRestart } from './sqlite/checkpointer.ts';
import { migrate } from './sqlite/migrations.ts';
import { moderation } from './sqlite/moderation.ts';
import { reactions } from './sqlite/reactions.ts';
import { roomsAndSessions } from './sqlite/rooms-sessions.ts';
import { sessionActivity } from './sqlite/session-activity.ts';

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

export interface SqliteLedgerOptions {
  /**
   * WAL checkpoints in a worker thread instead of inside commits (`sqlite/checkpointer.ts`);
   * default true.
   */
  backgroundCheckpoints?: boolean;
  /** Told when the checkpoint worker failed (the connection checkpoints itself again). */
  onCheckpointError?(err: Error): void;
  /** Told about each WAL restart the serving connection ran (metrics). */
  onWalRestart?(restart: WalRestart): void;
}

/**
 * Builds the SQLite ledger over an open database, first bringing its schema to the newest
 * migration (a file of the first release, without a recorded version, is adopted as
 * version 1 with its data). Closing the ledger stops the checkpoint worker, then closes the
 * database (which checkpoints what is left and removes the WAL file).
 * @throws when a migration fails, or the file's schema is newer than this server.
 */
export function createLedger(db: Database.Database, options: SqliteLedgerOptions = {}): Ledger {
  migrate(db);
  const checkpointer = options.backgroundCheckpoints === false ? null : startCheckpointer(db, { onError: options.onCheckpointError, onRestart: options.onWalRestart });
  const ping = db.prepare('SELECT 1');
  const activity = sessionActivity(db);
  const rooms = roomsAndSessions(db, activity.steps);
  const money = economy(db);
  return {
    async ping() {
      ping.get();
    },
    async close() {
      await checkpointer?.stop();
      if (db.open) db.close();
    },
    ...rooms.ledger,
    ...messages(db, rooms.steps, money.steps),
    ...money.ledger,
    ...reactions(db),
    ...activity.ledger,
    ...moderation(db),
  };
}
