/**
 * Runs the hot-store contract against the Redis store on a throwaway redis-server, then what
 * only a shared store has: instances reaping each other's presence.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { UserRef } from 'live-chat-protocol';
import type { HotStore } from '../../../server/stores/hot-store.ts';
import { createRedisHotStore } from '../../../server/stores/redis-hot-store.ts';
import { startRedis, type RedisFixture } from '../redis-fixture.ts';
import { hotStoreContract } from './hot-store.contract.ts';

let redis: RedisFixture;
let n = 0;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

hotStoreContract('redis', () => createRedisHotStore(redis.url, { prefix: `contract${++n}:` }));

describe('Redis presence across instances', () => {
  const T0 = Date.parse('2030-01-15T12:00:00.000Z');
  const user = (id: string): UserRef => ({ id, name: id.toUpperCase(), avatarUrl: null, badges: [] });
  const stores: HotStore[] = [];
  const instance = (prefix: string, instanceId: string) => {
    const store = createRedisHotStore(redis.url, { prefix, instanceId });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('reaps the sockets of an instance whose heartbeats stopped, and only those', async () => {
    const a = instance('reap1:', 'a');
    const b = instance('reap1:', 'b');
    assert.equal((await a.heartbeat(T0, 30_000)).known, false, 'a first heartbeat: not known yet');
    assert.equal((await b.heartbeat(T0, 30_000)).known, false);
    await a.addPresence('r', user('u1'), 'a-1');
    await a.addPresence('r', user('u2'), 'a-2');
    await b.addPresence('r', user('u2'), 'b-2');
    await a.addPresence('r2', user('u3'), 'a-3');
    await a.removePresence('r2', 'u3', 'a-3');
    assert.equal(await b.occupancy('r'), 2);

    assert.deepEqual(await b.heartbeat(T0 + 20_000, 30_000), { known: true, left: [] });
    assert.deepEqual(await b.heartbeat(T0 + 30_000, 30_000), { known: true, left: [] }, 'a is 30 s late: not yet');
    const reap = await b.heartbeat(T0 + 30_001, 30_000);
    assert.deepEqual(reap, { known: true, left: [{ roomId: 'r', user: user('u1'), socketId: 'a-1' }] }, 'u2 is still on b');
    assert.equal(await b.occupancy('r'), 1);
    assert.deepEqual(await b.heartbeat(T0 + 40_000, 30_000), { known: true, left: [] }, 'reaped once');

    // a was only slow (a long pause, a network split): its next heartbeat says it was
    // forgotten, and a sync puts its sockets back.
    assert.equal((await a.heartbeat(T0 + 41_000, 30_000)).known, false);
    const back = await a.syncPresence([{ roomId: 'r', user: user('u1'), socketId: 'a-1' }]);
    assert.deepEqual(back, { joined: [{ roomId: 'r', user: user('u1'), socketId: 'a-1' }], left: [] });
    assert.equal(await b.occupancy('r'), 2);
    assert.deepEqual(await b.removePresence('r', 'u2', 'b-2'), { last: true });
  });

  it('after a silence of its own (Redis away from everyone), reaps only who stays silent for the timeout after it', async () => {
    const a = instance('reap3:', 'a');
    const b = instance('reap3:', 'b');
    const c = instance('reap3:', 'c');
    for (const s of [a, b, c]) await s.heartbeat(T0, 30_000);
    await a.addPresence('r', user('u1'), 'a-1');
    await c.addPresence('r', user('u3'), 'c-3');
    // Redis was away for a minute; b comes back first, a a second later; c died meanwhile.
    assert.deepEqual(await b.heartbeat(T0 + 60_000, 30_000), { known: true, left: [] }, 'b was silent as long as the others');
    assert.deepEqual(await b.heartbeat(T0 + 60_500, 30_000), { known: true, left: [] }, 'nor does b reap half a second later');
    assert.deepEqual(await a.heartbeat(T0 + 61_000, 30_000), { known: true, left: [] });
    assert.equal(await b.occupancy('r'), 2);
    await a.heartbeat(T0 + 85_000, 30_000);
    assert.deepEqual(await b.heartbeat(T0 + 89_000, 30_000), { known: true, left: [] }, 'c silent for 29 s since b watched again');
    assert.deepEqual(
      await b.heartbeat(T0 + 90_001, 30_000),
      { known: true, left: [{ roomId: 'r', user: user('u3'), socketId: 'c-3' }] },
      'c silent for 30 s since b watched: reaped; a beat 5 s ago',
    );
    assert.equal(await b.occupancy('r'), 1);
  });

  it("leaves another instance's sockets alone when it syncs its own", async () => {
    const a = instance('reap2:', 'a');
    const b = instance('reap2:', 'b');
    await a.addPresence('r', user('u1'), 'a-1');
    await b.addPresence('r', user('u2'), 'b-2');
    assert.deepEqual(await a.syncPresence([]), { joined: [], left: [{ roomId: 'r', user: user('u1'), socketId: 'a-1' }] });
    assert.equal(await b.occupancy('r'), 1);
  });
});
