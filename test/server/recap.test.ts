/**
 * Session recaps (issue 9): a scripted session over real sockets and a real SQLite file, with
 * the test clock moving time, gives exactly the expected totals, timelines and top chatters;
 * the realtime sampler records occupancy by itself; the route's refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message, SessionRecap } from 'live-chat-protocol';
import { startViewerSampling } from '../../server/realtime/viewer-sampler.ts';
import { call, eventually, http, ok, send, startServer, TestClock, type TestServer } from './helpers.ts';

const at = (hms: string) => Date.parse(`2030-01-15T${hms}.000Z`);
const iso = (hms: string) => new Date(at(hms)).toISOString();

describe('session recap', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({
      clock: new TestClock(at('12:00:05')),
      config: { xpPerMessage: 2, dailyXpCap: 1000, coinsPerMessage: 3, coinCooldownSeconds: 120, messagesPerMinute: 1000 },
    });
  });
  after(() => t.destroy());

  const occupancy = () => t.server.hot.occupancy('lobby');
  const sample = () => t.server.services.recap.sampleViewers('lobby');
  const setTime = (hms: string) => {
    t.clock.ms = at(hms);
  };

  it('adds up a scripted session exactly: totals, per-minute timelines, top chatters', async () => {
    const host = await t.joined('Recap Host', 'lobby', ['host']);
    const ann = await t.joined('Recap Ann');
    const bob = await t.joined('Recap Bob');
    setTime('12:00:10');
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    await sample(); // 3 viewers in minute 12:00

    const first = ok<{ message: Message }>(await send(ann, 'a1')); // +2 XP, +3 coins
    ok(await send(ann, 'a2')); // +2 XP, cooldown
    ok(await send(bob, 'b1')); // +2 XP, +3 coins
    ok(await call(bob, 'room:like', { roomId: 'lobby', count: 5 }));

    setTime('12:01:30');
    const cat = await t.joined('Recap Cat');
    await eventually(async () => assert.equal(await occupancy(), 4));
    await sample(); // 4 in minute 12:01
    ok(await send(ann, 'a3')); // +2 XP, cooldown (80 s after her coin)
    ok(await send(cat, 'c1')); // +2 XP, +3 coins
    setTime('12:01:45');
    bob.disconnect();
    await eventually(async () => assert.equal(await occupancy(), 3));
    await sample(); // 3 in minute 12:01: the peak stays 4

    setTime('12:03:05');
    ok(await send(ann, 'a4')); // +2 XP, +3 coins (175 s after her first coin)
    ok(await call(cat, 'room:like', { roomId: 'lobby', count: 2 }));
    await sample(); // 3 in minute 12:03
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: first.message.id })); // what it earned stays

    setTime('12:03:40');
    ok(await call(host, 'session:end', { roomId: 'lobby' }));
    setTime('12:30:00'); // an ended session's timeline stops at its end

    const res = await http(t, 'GET', `/api/rooms/lobby/sessions/${session.id}/recap`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const recap = res.body as SessionRecap;
    assert.deepEqual(recap, {
      roomId: 'lobby',
      sessionId: session.id,
      startedAt: iso('12:00:10'),
      endedAt: iso('12:03:40'),
      peakViewers: 4,
      averageViewers: 3.3, // (3 + 4 + 3 + 3) / 4 = 3.25
      uniqueChatters: 3,
      messages: 6,
      hearts: 7,
      xpAwarded: 12,
      coinsAwarded: 12,
      timeline: [
        { minute: iso('12:00:00'), messages: 3, viewers: 3, hearts: 5 },
        { minute: iso('12:01:00'), messages: 2, viewers: 4, hearts: 0 },
        { minute: iso('12:02:00'), messages: 0, viewers: 0, hearts: 0 },
        { minute: iso('12:03:00'), messages: 1, viewers: 3, hearts: 2 },
      ],
      topChatters: [
        { userId: 'dev-recap-ann', name: 'Recap Ann', avatarUrl: null, messages: 4, coins: 6, xp: 8 },
        { userId: 'dev-recap-bob', name: 'Recap Bob', avatarUrl: null, messages: 1, coins: 3, xp: 2 },
        { userId: 'dev-recap-cat', name: 'Recap Cat', avatarUrl: null, messages: 1, coins: 3, xp: 2 },
      ],
    } satisfies SessionRecap);

    // The totals agree with the ledger's events: a deleted message keeps what it earned.
    for (const user of ['dev-recap-ann', 'dev-recap-bob', 'dev-recap-cat']) {
      const audit = await t.server.ledger.audit(user);
      assert.equal(audit.totalXp, audit.xpEventsSum);
      assert.equal(audit.coinBalance, audit.coinEventsSum);
    }
    assert.equal((await t.server.ledger.audit('dev-recap-ann')).coinBalance, 6);
  });

  it('runs to the current minute while the session is open, and samples viewers on its own timer', async () => {
    const host = await t.joined('Recap Host', 'lobby', ['host']);
    setTime('13:00:00');
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    const sampling = startViewerSampling(t.server.io, t.server.services.recap, t.server.logger, 10);
    try {
      await eventually(async () => {
        const activity = await t.server.ledger.sessionActivity(session.id);
        assert.ok((activity.minutes[0]?.viewersSamples ?? 0) >= 2, 'sampled at least twice');
      });
    } finally {
      sampling.stop();
    }
    setTime('13:02:30');
    const recap = (await http(t, 'GET', `/api/rooms/lobby/sessions/${session.id}/recap`)).body as SessionRecap;
    assert.equal(recap.endedAt, null);
    assert.deepEqual(
      recap.timeline.map((m) => m.minute),
      [iso('13:00:00'), iso('13:01:00'), iso('13:02:00')],
    );
    assert.equal(recap.peakViewers, await occupancy());
    assert.equal(recap.averageViewers, await occupancy());
  });

  it('samples viewers as people come and go, so a session shorter than the 30 s timer has its peak', async () => {
    const host = await t.joined('Recap Host', 'lobby', ['host']);
    setTime('14:00:00');
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    await t.joined('Recap Late Viewer', 'lobby');
    const viewers = await occupancy();
    assert.ok(viewers >= 2);
    await eventually(async () => {
      const recap = (await http(t, 'GET', `/api/rooms/lobby/sessions/${session.id}/recap`)).body as SessionRecap;
      assert.equal(recap.peakViewers, viewers, 'the join was sampled without waiting for the timer');
    }, 8_000);
  });

  it('answers 404 for an unknown session or one of another room, 403 for a private room', async () => {
    const hostToken = await t.token('Recap Host', ['host']);
    const created = await http(t, 'POST', '/api/rooms', { body: { id: 'recap-private', title: 'P', private: true }, token: hostToken });
    assert.equal(created.status, 201);
    const host = await t.joined('Recap Host', 'recap-private', ['host']);
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'recap-private' }));

    const unknown = await http(t, 'GET', '/api/rooms/lobby/sessions/s_nope/recap');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const otherRoom = await http(t, 'GET', `/api/rooms/lobby/sessions/${session.id}/recap`);
    assert.equal(otherRoom.status, 404);
    const privateRoom = await http(t, 'GET', `/api/rooms/recap-private/sessions/${session.id}/recap`);
    assert.equal(privateRoom.status, 403);
    assert.equal(privateRoom.body.error.code, 'forbidden');
    const asHost = await http(t, 'GET', `/api/rooms/recap-private/sessions/${session.id}/recap`, { token: hostToken });
    assert.equal(asHost.status, 200);
    assert.equal((await http(t, 'GET', `/api/rooms/no-such-room/sessions/${session.id}/recap`)).status, 404);
    assert.equal((await http(t, 'GET', `/api/rooms/lobby/sessions/${'x'.repeat(200)}/recap`)).status, 404);
  });
});
