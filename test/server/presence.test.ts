/**
 * Presence at scale (issue 8, "join storm"): per-user `presence:join` / `presence:leave`
 * (batched per room) and `typing` only in rooms at or under `SMALL_ROOM_LIMIT` viewers;
 * larger rooms get occupancy (`room:stats`) alone. A storm of joins costs O(N) frames, not
 * O(N²), and the join path reads history from the hot window, not the ledger.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PresenceBatch } from 'live-chat-protocol';
import { call, collect, eventually, nextEvent, ok, send, startServer, type Client, type TestServer } from './helpers.ts';

const LIMIT = 3;

/** Users named in presence batches a client received. */
const named = (batches: PresenceBatch[]) => batches.flatMap((b) => b.users.map((u) => u.id));

/**
 * Resolves once `socket` has received the `message:new` of a message sent after `action`:
 * every broadcast `action` caused and that left before it arrived is in by then.
 */
async function barrier(t: TestServer, socket: Client, sender: Client, roomId = 'lobby'): Promise<void> {
  const text = `barrier ${crypto.randomUUID()}`;
  const seen = nextEvent(socket, 'message:new', (m) => m.text === text);
  ok(await send(sender, text, roomId));
  await seen;
}

describe('presence and typing by room size', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { smallRoomLimit: LIMIT, messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('announces joins and leaves in batches while the room is small, none once it is large', async () => {
    const watcher = await t.joined('Watch Wes');
    const joins = collect(watcher, 'presence:join');
    const leaves = collect(watcher, 'presence:leave');
    const stats = collect(watcher, 'room:stats');

    const ann = await t.joined('Small Ann');
    const bob = await t.joined('Small Bob');
    await eventually(() => assert.deepEqual(named(joins).filter((id) => id !== 'dev-watch-wes').sort(), ['dev-small-ann', 'dev-small-bob']));
    const ack = ok<{ limits: { smallRoomLimit: number } }>(await call(bob, 'room:join', { roomId: 'lobby', sinceSeq: 0 }));
    assert.equal(ack.limits.smallRoomLimit, LIMIT, 'the join ack tells the widget the limit');

    // Now 3 viewers; two more make the room large (5 > 3).
    const cat = await t.joined('Large Cat');
    const dan = await t.joined('Large Dan');
    await eventually(() => assert.equal(stats.at(-1)?.viewers, 5), 5000);
    ann.disconnect();
    await eventually(() => assert.equal(stats.at(-1)?.viewers, 4), 5000);
    await barrier(t, watcher, bob);
    assert.ok(!named(joins).includes('dev-large-cat') && !named(joins).includes('dev-large-dan'), `joins: ${named(joins)}`);
    assert.deepEqual(named(leaves), [], 'no presence:leave in a large room');

    // Back to small: Cat and Dan leave (4 → 2 viewers); their leave is announced again.
    cat.disconnect();
    dan.disconnect();
    await eventually(() => assert.equal(stats.at(-1)?.viewers, 2), 5000);
    await eventually(() => assert.ok(named(leaves).length > 0, 'a leave once the room is small again'));
    assert.ok(named(leaves).every((id) => ['dev-small-ann', 'dev-large-cat', 'dev-large-dan'].includes(id)));
  });

  it('broadcasts typing in a small room and not in a large one', async () => {
    const host = await t.token('Type Host', ['host']);
    const createRoom = async (id: string) => {
      const res = await fetch(`${t.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host}` },
        body: JSON.stringify({ id, title: id }),
      });
      assert.equal(res.status, 201);
    };
    await createRoom('typing-small');
    const ann = await t.joined('Type Ann', 'typing-small');
    const bob = await t.joined('Type Bob', 'typing-small');
    const typing = collect(bob, 'typing');
    ok(await call(ann, 'typing:start', { roomId: 'typing-small' }));
    await eventually(() => assert.ok(typing.some((p) => p.users.some((u) => u.id === 'dev-type-ann'))));

    // A room whose typing nobody touched yet, so a typing broadcast would leave at once.
    await createRoom('typing-large');
    const names = ['Type Ann', 'Type Bob', 'Type Cat', 'Type Dan'];
    const [ann2, bob2] = await Promise.all(names.map((name) => t.joined(name, 'typing-large')));
    const large = collect(bob2!, 'typing');
    ok(await call(ann2!, 'typing:start', { roomId: 'typing-large' }));
    await barrier(t, bob2!, bob2!, 'typing-large');
    assert.deepEqual(large, [], `typing in a room of 4 > ${LIMIT}`);
  });
});

describe('join storm', () => {
  const N = 500;
  const LIMIT_STORM = 10;
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { smallRoomLimit: LIMIT_STORM, messagesPerMinute: 1000, historyLimit: 20 } });
  });
  after(() => t.destroy());

  it(`${N} joins at once give O(N) frames, the right occupancy, and history from the hot window`, async () => {
    const poster = await t.joined('Storm Poster');
    for (let i = 1; i <= 30; i++) ok(await send(poster, `history ${i}`));

    // Count the ledger's message reads from here on: the window is warm after the first join.
    const ledger = t.server.ledger;
    let reads = 0;
    const { messagesAfter, messagesBefore } = ledger;
    ledger.messagesAfter = (...args) => (reads++, messagesAfter.apply(ledger, args));
    ledger.messagesBefore = (...args) => (reads++, messagesBefore.apply(ledger, args));

    try {
      const clients = await Promise.all(Array.from({ length: N }, () => t.connect(null)));
      let frames = 0;
      const presenceUsers = new Set<string>();
      const viewers = new Map<Client, number>();
      for (const c of clients) {
        c.onAny((event: string, payload: PresenceBatch & { viewers: number }) => {
          frames++;
          if (event === 'presence:join') for (const u of payload.users) presenceUsers.add(u.id);
          if (event === 'room:stats') viewers.set(c, payload.viewers);
        });
      }
      const started = performance.now();
      const acks = await Promise.all(clients.map((c) => call(c, 'room:join', { roomId: 'lobby' })));
      for (const ack of acks) {
        ok(ack);
        assert.deepEqual(
          ack.messages.map((m: { text: string }) => m.text),
          Array.from({ length: 20 }, (_, i) => `history ${i + 11}`),
        );
      }
      assert.equal((await t.server.services.presence.stats('lobby')).viewers, N + 1);
      // Everyone in: the last room:stats every client got says N + 1 viewers.
      await eventually(() => assert.ok(clients.every((c) => viewers.get(c) === N + 1)), 10_000);
      await barrier(t, clients[0]!, poster);
      const elapsedMs = performance.now() - started;

      // Per client at most one room:stats and one presence batch per interval, plus the barrier.
      const intervals = elapsedMs / t.config.statsIntervalMs + 2;
      const bound = N * (2 * intervals + 2);
      assert.ok(frames <= bound, `${frames} frames for ${N} joins in ${elapsedMs.toFixed(0)} ms (bound ${bound.toFixed(0)})`);
      assert.ok(frames < (N * N) / 10, `${frames} frames: not O(N²)`);
      assert.ok(presenceUsers.size <= LIMIT_STORM, `${presenceUsers.size} users announced above the limit of ${LIMIT_STORM}`);
      assert.ok(reads <= 1, `${reads} ledger message reads for ${N} joins`);
    } finally {
      ledger.messagesAfter = messagesAfter;
      ledger.messagesBefore = messagesBefore;
    }
  });
});
