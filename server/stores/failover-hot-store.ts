/**
 * Hot state that survives a Redis outage: the Redis store while Redis answers, this
 * instance's memory store while it does not (docs/server.md, "Several instances", failure
 * behaviour).
 *
 * During an outage an instance serves its own clients alone: presence, typing, rate windows
 * and the recent-message window are this instance's; the ledger (SQLite or PostgreSQL) stays
 * the authority for messages, seqs and awards, so nothing the economy decides changes. When
 * Redis answers again, calls go back to it: caches (leaderboards, the recent window) are
 * checked against the ledger by their callers (a miss or a hole reads the ledger), and
 * `onChange` tells the realtime layer to put this instance's sockets back into the presence of
 * the store it switched to (`PresenceService.resync`).
 *
 * Switching: a call that fails on Redis while Redis does not answer a ping (within
 * {@link FailoverOptions.probeTimeoutMs}) is answered by memory and marks Redis down; while
 * down, every call goes to memory at once (no waiting on Redis retries) and Redis is pinged
 * every {@link FailoverOptions.probeIntervalMs}; the first answer marks it up again.
 * `ping()` is Redis's own, so `/ready` says 503 (`redis: down`) for the whole outage.
 */
import type { HotStore } from './hot-store.ts';

export interface FailoverOptions {
  /** How often Redis is pinged while down, in ms (default 250). */
  probeIntervalMs?: number;
  /** How long one probe may take, in ms (default 1000). */
  probeTimeoutMs?: number;
  /** Told when Redis goes down (`false`, with the error) or comes back (`true`). */
  onChange?: (up: boolean, err?: unknown) => void;
}

type Operation = Exclude<keyof HotStore, 'ping' | 'close'>;

/** Every operation of {@link HotStore}; the check below fails the type check when one is added and not listed. */
const OPERATIONS = [
  'takeRate',
  'loadLeaderboard',
  'upsertScore',
  'topScores',
  'addPresence',
  'removePresence',
  'occupancy',
  'syncPresence',
  'heartbeat',
  'setTyping',
  'clearTyping',
  'typingUsers',
  'pushRecent',
  'recentSince',
  'patchRecent',
] as const satisfies readonly Operation[];
type Unlisted = Exclude<Operation, (typeof OPERATIONS)[number]>;
const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
void allListed;

/**
 * Wraps `primary` (Redis) with `fallback` (memory) as described above.
 * @returns a {@link HotStore}; `close()` stops probing and closes both.
 */
export function createFailoverHotStore(primary: HotStore, fallback: HotStore, options: FailoverOptions = {}): HotStore {
  const probeIntervalMs = options.probeIntervalMs ?? 250;
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  let up = true;
  let probe: NodeJS.Timeout | null = null;
  let closed = false;

  const withTimeout = (p: Promise<void>): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${probeTimeoutMs} ms`)), probeTimeoutMs);
      p.then(resolve, reject).finally(() => clearTimeout(timer));
    });

  function markDown(err: unknown): void {
    if (!up || closed) return;
    up = false;
    options.onChange?.(false, err);
    let probing = false;
    probe = setInterval(() => {
      if (probing) return;
      probing = true;
      withTimeout(primary.ping())
        .then(() => {
          if (closed || up) return;
          up = true;
          if (probe) clearInterval(probe);
          probe = null;
          options.onChange?.(true);
        })
        .catch(() => undefined)
        .finally(() => {
          probing = false;
        });
    }, probeIntervalMs);
    probe.unref();
  }

  const store = {
    ping: () => primary.ping(),
    async close() {
      closed = true;
      if (probe) clearInterval(probe);
      await Promise.all([primary.close(), fallback.close()]);
    },
  } as HotStore;
  for (const name of OPERATIONS) {
    const onPrimary = primary[name].bind(primary) as (...args: unknown[]) => Promise<unknown>;
    const onFallback = fallback[name].bind(fallback) as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<Operation, (...args: unknown[]) => Promise<unknown>>)[name] = async (...args: unknown[]) => {
      if (!up) return onFallback(...args);
      try {
        return await onPrimary(...args);
      } catch (err) {
        // A refusal of a Redis that answers (a script error) is an error, not an outage.
        if (await withTimeout(primary.ping()).then(() => true, () => false)) throw err;
        markDown(err);
        return onFallback(...args);
      }
    };
  }
  return store;
}
