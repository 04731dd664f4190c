/**
 * The failover hot store over two memory stores standing in for Redis and memory: which one
 * answers while the primary fails, how an error of an answering primary surfaces, and how
 * the probe brings the primary back (the real outage is test/server/redis-faults.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFailoverHotStore } from '../../../server/stores/failover-hot-store.ts';
import type { HotStore } from '../../../server/stores/hot-store.ts';
import { createMemoryHotStore } from '../../../server/stores/memory-hot-store.ts';
import { eventually } from '../../helpers/net.ts';

/** A memory store that can be switched off: while off, every call and `ping` reject. */
function switchable(): { store: HotStore; off(): void; on(): void; calls: string[] } {
  const inner = createMemoryHotStore();
  let up = true;
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, name: string) {
      const value = target[name as keyof HotStore];
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(name);
        if (!up && name !== 'close') throw new Error('connection is closed');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls, off: () => (up = false), on: () => (up = true) };
}

const user = { id: 'u1', name: 'U1', avatarUrl: null, badges: [] };

describe('failover hot store', () => {
  it('answers from the fallback while the primary is down, says so on ping, and goes back when it answers', async () => {
    const primary = switchable();
    const fallback = createMemoryHotStore();
    const changes: boolean[] = [];
    const hot = createFailoverHotStore(primary.store, fallback, { probeIntervalMs: 10, onChange: (up) => changes.push(up) });
    try {
      await hot.addPresence('r', user, 's1');
      assert.equal(await hot.occupancy('r'), 1, 'from the primary');

      primary.off();
      await assert.rejects(hot.ping(), 'ping is the primary’s: /ready says redis: down');
      assert.deepEqual(await hot.addPresence('r', user, 's2'), { first: true }, 'answered by the fallback, which starts empty');
      assert.equal(await fallback.occupancy('r'), 1);
      assert.deepEqual(changes, [false]);
      const before = primary.calls.length;
      await hot.occupancy('r');
      assert.equal(primary.calls.length, before, 'while down, calls go to the fallback at once');

      primary.on();
      await eventually(() => assert.deepEqual(changes, [false, true]));
      await hot.ping();
      assert.equal(await hot.occupancy('r'), 1, 'from the primary again, with what it held');
    } finally {
      await hot.close();
    }
  });

  it('rethrows an error of a primary that still answers its ping', async () => {
    const primary = createMemoryHotStore();
    const broken: HotStore = { ...primary, takeRate: async () => Promise.reject(new Error('script error')) };
    const changes: boolean[] = [];
    const hot = createFailoverHotStore(broken, createMemoryHotStore(), { onChange: (up) => changes.push(up) });
    try {
      await assert.rejects(hot.takeRate([{ key: 'k', limit: 1, windowMs: 1000 }], 0), /script error/);
      assert.deepEqual(changes, [], 'not an outage');
    } finally {
      await hot.close();
    }
  });
});
