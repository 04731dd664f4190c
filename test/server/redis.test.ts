/**
 * Two server instances sharing one Redis (hot store + Socket.IO adapter) and one SQLite file:
 * broadcasts, occupancy, rate limits and the daily cap hold across instances.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Message, Reward } from 'live-chat-protocol';
import { call, http, nextEvent, ok, refused, send, startServer, tempDir, TestClock, type TestServer } from './helpers.ts';
import { startRedis, type RedisFixture } from './redis-fixture.ts';

describe('two instances over Redis', () => {
  let redis: RedisFixture;
  let a: TestServer;
  let b: TestServer;
  const dataDir = tempDir();
  const clock = new TestClock();
  before(async () => {
    redis = await startRedis();
    a = await startServer({ dataDir, clock, config: { redisUrl: redis.url } });
    b = await startServer({ dataDir, clock, config: { redisUrl: redis.url } });
  });
  after(async () => {
    await a.close();
    await b.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports Redis on /ready', async () => {
    const ready = await http(a, 'GET', '/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { sqlite: 'ok', redis: 'ok' });
  });

  it('broadcasts across instances and counts viewers across them', async () => {
    const onA = await a.joined('Across Ann');
    const onB = await b.connect(await b.token('Across Bob'));
    const join = ok<{ stats: { viewers: number } }>(await call(onB, 'room:join', { roomId: 'lobby' }));
    assert.equal(join.stats.viewers, 2);
    const arrived = nextEvent(onB, 'message:new', (m) => m.text === 'from instance A');
    const sent = ok<{ message: Message }>(await send(onA, 'from instance A'));
    assert.equal((await arrived).id, sent.message.id);
    const reward = nextEvent(onA, 'reward');
    const onB2 = await b.joined('Across Ann');
    ok(await send(onB2, 'from B, rewarded to A too'));
    assert.equal((await reward).xp, 1);
  });

  it('shares the rate limit across instances', async () => {
    const onA = await a.joined('Limited Lin');
    const onB = await b.joined('Limited Lin');
    for (let i = 0; i < 5; i++) ok(await send(onA, `a${i}`));
    for (let i = 0; i < 5; i++) ok(await send(onB, `b${i}`));
    refused(await send(onA, 'eleventh'), 'rate_limited');
    refused(await send(onB, 'eleventh'), 'rate_limited');
  });

  it('awards exactly the daily cap for 200 sends spread over both instances', async () => {
    // The config object is live: raise the limit on both instances for this burst.
    for (const t of [a, b]) t.server.config.messagesPerMinute = 100_000;
    const sockets = await Promise.all([a, a, b, b].map((t) => t.joined('Split Sam')));
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => send(sockets[i % 4]!, `s${i}`)));
    const rewards = acks.map((x) => ok<{ reward: Reward }>(x).reward);
    assert.equal(rewards.reduce((sum, r) => sum + r.xp, 0), 50);
    assert.equal(rewards.reduce((sum, r) => sum + r.coins, 0), 1);
    const audit = await a.server.ledger.audit('dev-split-sam');
    assert.deepEqual([audit.totalXp, audit.xpEventsSum, audit.coinBalance, audit.coinEventsSum], [50, 50, 1, 1]);
    const board = (await http(b, 'GET', '/api/rooms/lobby/leaderboard')).body.entries as { userId: string; messages: number }[];
    assert.equal(board.find((e) => e.userId === 'dev-split-sam')?.messages, 200);
  });

  it('answers 503 on /ready when Redis is gone, and keeps serving its own clients from memory', async () => {
    const onA = await a.joined('Outage Olga');
    await redis.stop();
    const ready = await http(a, 'GET', '/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.redis, 'down');
    // Hot state falls over to this instance's memory (test/server/redis-faults.test.ts covers the return).
    const neighbour = await a.joined('Outage Otto');
    const heard = nextEvent(neighbour, 'message:new', (m) => m.text === 'into the outage');
    const sent = ok<{ message: Message }>(await send(onA, 'into the outage'));
    assert.equal((await heard).id, sent.message.id);
    assert.equal((await a.server.ledger.getMessage('lobby', sent.message.id))?.text, 'into the outage');
    assert.equal((await http(a, 'GET', '/health')).status, 200);
  });
});
