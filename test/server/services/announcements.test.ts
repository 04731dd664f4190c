/**
 * What the services announce, seen from a listener on `services.events` (the realtime layer
 * is one such listener): `messageStored` once per stored message, per room in seq order;
 * `rewardEarned` for non-zero awards only; typing clean-up on send; sessions and presence,
 * and what a presence resync changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEventMap, DomainEventName } from '../../../server/services/events.ts';
import { localPresence } from '../../../server/realtime/presence-keeping.ts';
import { call, clientId, eventually, ok, send, startServer, type TestServer } from '../helpers.ts';

describe('service announcements', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 100_000, guestCanPost: true } });
  });
  after(() => t.destroy());

  /** Records every announcement of `name` from now on. */
  const record = <K extends DomainEventName>(name: K): DomainEventMap[K][] => {
    const seen: DomainEventMap[K][] = [];
    t.server.services.events.on(name, (event) => seen.push(event));
    return seen;
  };

  it('announces messageStored once per stored message, in seq order per room, never for a duplicate', async () => {
    const stored = record('messageStored');
    const sockets = await Promise.all(['Order Ann', 'Order Bob', 'Order Cy'].map((name) => t.joined(name)));
    const id = clientId();
    const acks = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => send(sockets[i % 3]!, `burst ${i}`)),
      ...Array.from({ length: 5 }, () => send(sockets[0]!, 'same clientId', 'lobby', id)),
    ]);
    acks.forEach(ok);
    const seqs = stored.map((e) => e.message.seq);
    assert.equal(stored.length, 61, 'one per stored message: the 5 sends of one clientId store one');
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in seq order');
    assert.equal(new Set(seqs).size, seqs.length);
    assert.ok(stored.every((e) => e.roomId === 'lobby' && e.message.roomId === 'lobby'));
  });

  it('announces rewardEarned for a non-zero award, again for a retried clientId, never for guests', async () => {
    const rewards = record('rewardEarned');
    const a = await t.joined('Reward Rae');
    const id = clientId();
    const first = ok(await send(a, 'earns', 'lobby', id));
    ok(await send(a, 'earns', 'lobby', id));
    assert.deepEqual(rewards.map((r) => [r.userId, r.reward.messageId]), [
      ['dev-reward-rae', first.message.id],
      ['dev-reward-rae', first.message.id],
    ]);
    const guest = await t.connect(null);
    ok(await call(guest, 'room:join', { roomId: 'lobby' }));
    ok(await send(guest, 'a guest earns nothing'));
    assert.equal(rewards.length, 2);
  });

  it('clears the sender typing on send, announcing it only when they were typing', async () => {
    const typing = record('typingChanged');
    const a = await t.joined('Typing Tess');
    ok(await send(a, 'not typing'));
    assert.deepEqual(typing, []);
    ok(await call(a, 'typing:start', { roomId: 'lobby' }));
    assert.deepEqual(typing, [{ roomId: 'lobby', expiresInMs: t.config.typingTtlMs }]);
    ok(await send(a, 'typed'));
    assert.deepEqual(typing.at(-1), { roomId: 'lobby', expiresInMs: null });
    assert.deepEqual(await t.server.services.presence.typing('lobby'), []);
  });

  it('announces presence for a user first connection and last one, and a session start', async () => {
    const presence = record('presenceChanged');
    const sessions = record('sessionStarted');
    const token = await t.token('Presence Pia', ['host']);
    const tab1 = await t.connect(token);
    const tab2 = await t.connect(token);
    ok(await call(tab1, 'room:join', { roomId: 'lobby' }));
    ok(await call(tab2, 'room:join', { roomId: 'lobby' }));
    ok(await call(tab1, 'room:join', { roomId: 'lobby' }));
    const started = ok(await call(tab1, 'session:start', { roomId: 'lobby' }));
    assert.deepEqual(sessions.map((s) => s.session.id), [started.session.id]);
    const [id1, id2] = [tab1.id, tab2.id];
    tab1.disconnect();
    ok(await call(tab2, 'room:leave', { roomId: 'lobby' }));
    await eventually(() =>
      assert.deepEqual(
        presence.map((p) => [p.user.id, p.change, p.connectionId]),
        [
          ['dev-presence-pia', 'joined', id1],
          ['dev-presence-pia', 'left', id2],
        ],
      ),
    );
  });

  it('resyncs presence to the sockets it has: a stale entry goes, a socket missing comes back, a join or leave meanwhile keeps its answer', async () => {
    const { hot, io, services } = t.server;
    const real = await t.joined('Sync Sid');
    const presence = record('presenceChanged');
    const stats = record('statsChanged');
    const user = (id: string) => ({ id, name: id, avatarUrl: null, badges: [] });
    const sid = localPresence(io).find((e) => e.socketId === real.id)!;
    assert.ok(sid, 'the socket is in the local presence');

    // Hot state that drifted: a socket no instance has, and a socket this instance has but the
    // store lost.
    await hot.addPresence('lobby', user('ghost'), 'ghost-socket');
    await hot.setTyping('lobby', user('ghost'), t.clock.now() + 60_000);
    assert.ok((await services.presence.typing('lobby')).some((u) => u.id === 'ghost'), 'the ghost is typing');
    await hot.removePresence('lobby', sid.user.id, sid.socketId);
    const before = await hot.occupancy('lobby');
    const typing = record('typingChanged');
    await services.presence.resync(() => localPresence(io));
    assert.deepEqual(
      presence.map((p) => [p.user.id, p.change, p.connectionId]),
      [
        [sid.user.id, 'joined', sid.socketId],
        ['ghost', 'left', 'ghost-socket'],
      ],
    );
    assert.deepEqual(stats, [{ roomId: 'lobby' }]);
    assert.equal(await hot.occupancy('lobby'), before, 'one came back, one went');
    assert.deepEqual(typing, [{ roomId: 'lobby', expiresInMs: null }], 'who went stops typing, as on a leave');
    assert.ok(!(await services.presence.typing('lobby')).some((u) => u.id === 'ghost'));

    // A join and a leave while the sync runs: the sync sees the sockets as they were, and
    // each keeps what it did.
    presence.length = 0;
    const arriving = { roomId: 'lobby', user: user('arriving'), socketId: 'arriving-socket' };
    const leaving = { roomId: 'lobby', user: user('leaving'), socketId: 'leaving-socket' };
    await hot.addPresence('lobby', arriving.user, arriving.socketId);
    let calls = 0;
    const during = () => (++calls === 1 ? [...localPresence(io), leaving] : [...localPresence(io), arriving]);
    const count = await hot.occupancy('lobby');
    await services.presence.resync(during);
    assert.deepEqual(presence, [], 'nothing announced: the arrival and the departure announced themselves');
    assert.equal(await hot.occupancy('lobby'), count, 'arriving still counted, leaving not added');
    assert.deepEqual(await hot.removePresence('lobby', 'arriving', 'arriving-socket'), { last: true });
    assert.deepEqual(await hot.removePresence('lobby', 'leaving', 'leaving-socket'), { last: false });

    // Calls made before a run reads the sockets share it; calls made while it runs share the next.
    const sync = hot.syncPresence.bind(hot);
    let runs = 0;
    hot.syncPresence = async (entries) => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return sync(entries);
    };
    const resync = () => services.presence.resync(() => localPresence(io));
    try {
      const first = [resync(), resync()];
      await eventually(() => assert.equal(runs, 1));
      await Promise.all([...first, resync(), resync(), resync()]);
    } finally {
      hot.syncPresence = sync;
    }
    assert.equal(runs, 2, 'one for the first two, one for the three made while it ran');
  });
});
