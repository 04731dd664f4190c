import type { OutboxPersistence, PendingMessage } from './outbox.ts';

const DB_NAME = 'live-chat';
const STORE = 'outbox';

/** A pending message as kept in IndexedDB: the item and its scope (server, room, user). */
type Row = PendingMessage & { scope: string };

let opened: Promise<IDBDatabase> | undefined;

/** The `live-chat` database, version 1: store `outbox` (key `clientId`, index `scope`). */
function open(): Promise<IDBDatabase> {
  return (opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientId' }).createIndex('scope', 'scope');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));
}

/** Runs `fn` in one transaction; resolves with its request's result when the transaction commits. */
async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/**
 * The outbox's place in IndexedDB for one server, room and user (`scope`): what
 * `outbox.persist` writes through, and what a later page restores. Where IndexedDB is not
 * available (some private modes, sandboxed frames) every call quietly does nothing: the
 * outbox then lives in memory, as before issue 10.
 */
export function outboxDb(scope: string): OutboxPersistence & {
  /** The pending messages kept for this scope, oldest first. */
  load(): Promise<PendingMessage[]>;
  /** Forgets every pending message of this scope (sign-out). */
  clear(): Promise<void>;
  /** Resolves when the writes asked for so far are committed (tests). */
  settled(): Promise<void>;
} {
  let last: Promise<unknown> = Promise.resolve();
  const write = (fn: (s: IDBObjectStore) => void) => {
    last = last.then(() => run('readwrite', fn)).catch(() => undefined);
  };
  return {
    put: ({ user, ...item }) => write((s) => void s.put({ ...item, ...(user && { user }), state: 'queued', scope } satisfies Row)),
    drop: (ids) => write((s) => ids.forEach((id) => s.delete(id))),
    async load() {
      const rows = await run<Row[]>('readonly', (s) => s.index('scope').getAll(scope)).catch(() => undefined);
      return (rows ?? []).map(({ scope: _, ...p }) => p).sort((a, b) => a.createdAt - b.createdAt);
    },
    async clear() {
      write((s) => {
        const keys = s.index('scope').getAllKeys(scope);
        keys.onsuccess = () => keys.result.forEach((k) => s.delete(k));
      });
      await last;
    },
    settled: () => last.then(() => undefined),
  };
}
