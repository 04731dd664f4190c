/**
 * The PostgreSQL connection pool of the ledger and its one way to run a transaction.
 *
 * - `int8` (BIGINT, COUNT) and `numeric` (SUM of BIGINT) are parsed as JS numbers: every value
 *   the ledger stores (ms since the epoch, seqs, counts, XP, coins) is far below 2^53.
 * - {@link transaction} retries the whole unit on a serialization failure (`40001`) or a
 *   deadlock (`40P01`), at most {@link MAX_ATTEMPTS} times with a short random pause, so a
 *   conflict between instances is invisible to callers; any other error rolls back and is
 *   rethrown as is.
 */
import pg from 'pg';

const { Pool, types } = pg;

/** How many times a transaction runs before a serialization failure or deadlock is given up. */
export const MAX_ATTEMPTS = 8;

/** How long getting a connection may take, in ms (connecting included). */
export const CONNECT_TIMEOUT_MS = 5000;

/** SQLSTATEs after which a transaction is run again from the start. */
const RETRYABLE = new Set(['40001', '40P01']);

const NUMBER_TYPES = new Set<number>([types.builtins.INT8, types.builtins.NUMERIC]);

/** Type parsers of this pool only (the global ones of `pg` stay as they are). */
const parsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMBER_TYPES.has(oid) ? (value: string) => Number(value) : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

/**
 * A pool over `connectionString` (`postgres://user:pass@host:port/db`).
 * @param max the most connections this process opens (default 10).
 * @param onError idle-connection errors (a restarted database): logged, never thrown; the pool
 *   replaces the connection on the next query.
 */
export function createPool(connectionString: string, onError: (err: Error) => void, max = 10): Pool {
  // A database that does not answer fails a checkout after CONNECT_TIMEOUT_MS instead of
  // holding the caller forever (the send answers `internal`, the widget retries).
  const pool = new Pool({ connectionString, max, types: parsers, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  pool.on('error', onError);
  return pool;
}

/** The PostgreSQL error code (SQLSTATE) of an error thrown by `pg`, if any. */
export function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * Runs `work` in one transaction (READ COMMITTED, the default: every statement sees what is
 * committed when it starts; row locks order the writers) on one pooled connection.
 * `work` returns `{ commit: false }` through {@link rollback} to roll back and still answer a
 * value (e.g. a duplicate found after taking a lock).
 * @throws what `work` throws (after ROLLBACK), or the last serialization failure / deadlock
 *   after {@link MAX_ATTEMPTS} runs.
 */
export async function transaction<T>(pool: Pool, work: (client: Client) => Promise<T | Rollback<T>>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      if (result instanceof Rollback) {
        await client.query('ROLLBACK');
        return result.value;
      }
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(err) ?? '')) {
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        continue;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** The answer of a transaction that must not commit (see {@link transaction}). */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** Rolls the running transaction back and answers `value`. */
export const rollback = <T>(value: T): Rollback<T> => new Rollback(value);
