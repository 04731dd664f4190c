/**
 * The PostgreSQL {@link Ledger} (node-postgres, a pool), for several instances sharing one
 * database (`DATABASE_URL=postgres://…`, docs/server.md "Several instances"). The same rules
 * as the SQLite ledger hold across any number of processes:
 * - seq per room is assigned by the database (`UPDATE rooms SET last_seq = last_seq + 1 …
 *   RETURNING`, the room row locked until commit): never twice, and no gap from a rollback;
 * - the award is decided inside the transaction that stores the message, with the user's row
 *   locked, so the daily cap and the coin cooldown are exact across instances;
 * - `clientId` is unique per room and user (a unique index; a concurrent duplicate answers the
 *   first message);
 * - events are append-only and totals move with them (`total = Σ events`);
 * - running counters (`users`, `user_days`, `session_users`) keep every send-path query a
 *   single-row look-up, whatever the history;
 * - a transaction that fails with a serialization failure or a deadlock is run again (bounded).
 *
 * A storage port: it holds no rule (the award and session rules come with each call).
 * One file per concept: `pool.ts` (pool, transactions, retries), `migrations.ts` (the
 * versioned schema), `rows.ts` (row mappers), `rooms-sessions.ts`, `messages.ts`, `reactions.ts`
 * (reactions, likes, replies' look-ups), `economy.ts`.
 */
import type { Ledger } from '../ledger.ts';
import type { PgContext } from './context.ts';
import { economy } from './economy.ts';
import { messages } from './messages.ts';
import { migratePostgres } from './migrations.ts';
import { createPool } from './pool.ts';
import { moderation } from './moderation.ts';
import { reactions } from './reactions.ts';
import { roomsAndSessions } from './rooms-sessions.ts';
import { sessionActivity } from './session-activity.ts';

export interface PostgresLedgerOptions {
  /** `postgres://user:password@host:port/database` (also `postgresql://`). */
  connectionString: string;
  /** Connections this process opens at most (default 10). */
  poolSize?: number;
  /** Where connection errors of idle pooled clients go (default: ignored; the pool reconnects). */
  onError?: (err: Error) => void;
}

/**
 * Builds the PostgreSQL ledger. Returns at once; the schema is brought to the newest migration
 * in the background (under an advisory lock, so instances starting together do not race) and
 * every method waits for it. `ping()` rejects while the database is unreachable or the
 * migration failed; closing the ledger ends the pool.
 * @throws never synchronously; a failed migration rejects every call (and `ping`) with its error.
 */
export function createPostgresLedger(options: PostgresLedgerOptions): Ledger {
  const pool = createPool(options.connectionString, options.onError ?? (() => undefined), options.poolSize);
  const ready = migratePostgres(pool).then(
    () => undefined,
    (err: unknown) => {
      // Start-up fails with a line that says which setting: the process exits and its
      // supervisor starts it again (docs/server.md, "Several instances").
      throw new Error(`PostgreSQL ledger (DATABASE_URL): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    },
  );
  ready.catch(() => undefined); // observed here; every call rethrows it
  const ctx: PgContext = { pool, ready };
  let closed: Promise<void> | null = null;
  return {
    async ping() {
      await ready;
      await pool.query('SELECT 1');
    },
    close() {
      closed ??= ready.catch(() => undefined).then(() => pool.end());
      return closed;
    },
    ...roomsAndSessions(ctx),
    ...messages(ctx),
    ...economy(ctx),
    ...sessionActivity(ctx),
    ...moderation(ctx),
    ...reactions(ctx),
  };
}
