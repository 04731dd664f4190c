/**
 * The PostgreSQL connection pool of the ledger and its one way to run a transaction.
 *
 * - `int8` (BIGINT, COUNT) and `numeric` (SUM of BIGINT) are parsed as JS numbers: every value
 *   the ledger stores (ms since the epoch, seqs, counts, XP, coins) is far below 2^53.
 * - {@link transaction} retries the whole unit on a serialization failure (`40001`) or a
 *   deadlock (`40P01`), at most {@link MAX_ATTEMPTS} times with a short random pause, so a
 *   conflict between instances is invisible to callers; any other error rolls back and is
 *   rethrown as is.
 * - Connections are pipelined (node-postgres `pipeline: true`): a query is written when it
 *   is made, so statements that do not need each other's answers share a round trip.
 */
import pg from 'pg';

const { Pool, types } = pg;

/** How many times a transaction runs before a serialization failure or deadlock is given up. */
export const MAX_ATTEMPTS = 8;

/** How long getting a connection may take, in ms (connecting included). */
export const CONNECT_TIMEOUT_MS = 5000;

/** SQLSTATE of a statement sent after an earlier one of its transaction failed. */
const IN_FAILED_TRANSACTION = '25P02';

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
 *   replaces the connection on the next query. A checked-out connection's error fails its
 *   statements instead (its transaction rolls back), never the process.
 */
export function createPool(connectionString: string, onError: (err: Error) => void, max = 10): Pool {
  // A database that does not answer fails a checkout after CONNECT_TIMEOUT_MS instead of
  // holding the caller forever (the send answers `internal`, the widget retries).
  // Pipelined connections (node-postgres `pipeline: true`): a query is written as soon as it
  // is made, not when the one before it has answered, so the statements of a transaction that
  // do not need each other's answers share one round trip (`append.ts`). PostgreSQL still runs
  // them one after another, in order.
  const pool = new Pool({ connectionString, max, types: parsers, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, pipeline: true });
  pool.on('error', onError);
  // A connection checked out of the pool (a transaction under way) that the database drops
  // emits 'error' on its client, which node-postgres leaves to the caller: unheard, Node stops
  // the process (test/server/postgres-faults.test.ts). Its statements fail as well, so the
  // transaction sees the error and rolls back; this listener only keeps the event from being
  // unhandled. An idle connection's error still reaches `onError` through the pool.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** The PostgreSQL error code (SQLSTATE) of an error thrown by `pg`, if any. */
export function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * Runs `work` in one transaction (READ COMMITTED, the default: every statement sees what is
 * committed when it starts; row locks order the writers) on one pooled connection. BEGIN
 * goes out with the statements `work` makes before its first `await`, and the statements it
 * hands to `defer` with the COMMIT: one round trip and one socket write each ({@link together},
 * on the pool's pipelined connections). The answer comes once the COMMIT has.
 * @throws what `work` throws, or the failed deferred statement's error (after ROLLBACK:
 *   nothing of the transaction is stored), or the last serialization failure / deadlock
 *   after {@link MAX_ATTEMPTS} runs.
 */
export async function transaction<T>(pool: Pool, work: (client: Client, defer: Defer) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      const deferred: (() => Promise<unknown>)[] = [];
      const defer: Defer = (send) => void deferred.push(send);
      const [begin, running] = together(client, () => {
        const begin = client.query('BEGIN');
        // Observed at once: an unobserved rejection would stop the process while the work
        // still awaits its own statements. Its error is thrown with the COMMIT's below.
        begin.catch(() => undefined);
        return [begin, work(client, defer)] as const;
      });
      const result = await running;
      // When a deferred statement fails, PostgreSQL answers the COMMIT after it with a
      // rollback, and the statement's error is thrown (BEGIN's too: the work's statements
      // did not then run in a transaction).
      await together(client, () => inOrder([begin, ...deferred.map((send) => send()), client.query('COMMIT')]));
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

/**
 * Makes the statements `send` makes on `client` go out in ONE socket write (the socket corked
 * meanwhile): node-postgres writes each statement as it is made (pipelined connections), one
 * system call and one packet each. Measured in process on the append (100 rooms, batches of
 * 50 messages, ten statements a batch in two round trips): node's CPU 133 → 66 µs a message.
 * Answers what `send` answers; `send` must make its statements synchronously.
 */
export function together<R>(client: Client, send: () => R): R {
  const socket = client.connection.stream;
  socket.cork();
  try {
    return send();
  } finally {
    socket.uncork();
  }
}

/**
 * The failure that caused the others among settled statements of one transaction: on a
 * pipelined connection a failure makes the ones sent after it fail too with `25P02` ("current
 * transaction is aborted"), so the first that failed otherwise, else the first that failed;
 * undefined when none did.
 */
function causeOf(settled: PromiseSettledResult<unknown>[]): PromiseRejectedResult | undefined {
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  return failed.find((s) => sqlState(s.reason) !== IN_FAILED_TRANSACTION) ?? failed[0];
}

/**
 * Answers every statement's result once all have answered, or throws the error of the one
 * that caused the failures ({@link causeOf}: a serialization failure or deadlock keeps its
 * SQLSTATE for {@link transaction}'s retry).
 */
export async function inOrder<T extends unknown[]>(statements: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(statements);
  const cause = causeOf(settled);
  if (cause) throw cause.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}

/**
 * Hands {@link transaction} a statement the work does not wait for (a write whose answer it
 * does not need): `send` makes it when the work is done, right before the COMMIT and in the
 * same write; the transaction rolls back when it fails.
 */
export type Defer = (send: () => Promise<unknown>) => void;
