/**
 * What the services announce, seen from a listener on `services.events` (the realtime layer
 * is one such listener): `messageStored` once per stored message, per room in seq order;
 * `rewardEarned` for non-zero awards only; typing clean-up on send; sessions and presence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEventMap, DomainEventName } from '../../../server/services/events.ts';
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
});
