/**
 * The chat economy (issue 3) over real sockets and a real SQLite ledger: the daily XP cap
 * under concurrency, the coin cooldown with an injected clock, idempotency, restarts,
 * rewards and levels, leaderboards, and outside XP events.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { LeaderboardEntry, Message, Reward } from 'live-chat-protocol';
import { call, clientId, collect, eventually, http, nextEvent, ok, send, startServer, type TestServer } from './helpers.ts';

/** Asserts `total = Σ events` for XP and coins of every user in the ledger. */
async function assertLedgerBalanced(t: TestServer) {
  const users = await t.server.ledger.listUsers();
  for (const userId of users) {
    const audit = await t.server.ledger.audit(userId);
    assert.equal(audit.totalXp, audit.xpEventsSum, `${userId}: xp_totals = Σ xp_events`);
    assert.equal(audit.coinBalance, audit.coinEventsSum, `${userId}: coin_balances = Σ coin_events`);
  }
  return users;
}

async function progress(t: TestServer, userId: string) {
  const res = await http(t, 'GET', `/api/users/${userId}/xp`);
  assert.equal(res.status, 200);
  return res.body as { totalXp: number; dailyXp: number; coinBalance: number; level: number; nextCoinAt: string | null };
}

describe('the daily XP cap under concurrency', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 100_000 } });
  });
  after(() => t.destroy());

  it('awards exactly 50 XP for 200 simultaneous sends from one user over 4 sockets', async () => {
    const token = await t.token('Capped Cat');
    const sockets = await Promise.all([0, 1, 2, 3].map(() => t.connect(token)));
    await Promise.all(sockets.map((s) => call(s, 'room:join', { roomId: 'lobby' }).then(ok)));
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(sockets[i % 4]!, `burst ${i}`)),
    );
    const rewards = acks.map((a) => ok<{ reward: Reward }>(a).reward);
    assert.equal(rewards.reduce((sum, r) => sum + r.xp, 0), 50);
    assert.equal(rewards.reduce((sum, r) => sum + r.coins, 0), 1, 'one coin: the rest fall in the cooldown');
    assert.equal(Math.max(...rewards.map((r) => r.dailyXp)), 50);
    assert.ok(rewards.every((r) => r.dailyXp <= 50 && r.dailyXpCap === 50));
    assert.equal(rewards.filter((r) => r.coinReason === 'cap_reached').length, 150);

    const p = await progress(t, 'dev-capped-cat');
    assert.deepEqual([p.totalXp, p.dailyXp, p.coinBalance], [50, 50, 1]);
    assert.deepEqual(await assertLedgerBalanced(t), ['dev-capped-cat']);
    const board = await http(t, 'GET', '/api/rooms/lobby/leaderboard');
    assert.deepEqual(board.body.entries, [
      { rank: 1, userId: 'dev-capped-cat', name: 'Capped Cat', avatarUrl: null, coins: 1, messages: 200 },
    ]);
  });

  it('awards again on the next UTC day', async () => {
    const a = await t.joined('Capped Cat');
    t.clock.ms = Date.parse('2030-01-16T00:00:00.000Z');
    const r = ok<{ reward: Reward }>(await send(a, 'a new day')).reward;
    assert.deepEqual([r.xp, r.dailyXp, r.totalXp, r.coins], [1, 1, 51, 1]);
  });
});

describe('the coin cooldown', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('gives one coin for two messages 1 s apart, and another once 300 s have passed', async () => {
    const a = await t.joined('Cool Cody');
    const first = ok<{ reward: Reward; message: Message }>(await send(a, 'one'));
    assert.deepEqual([first.reward.coins, first.reward.coinReason, first.message.reward], [1, 'chat_message', { xp: 1, coins: 1 }]);
    t.clock.advance(1000);
    const second = ok<{ reward: Reward; message: Message }>(await send(a, 'two'));
    assert.deepEqual([second.reward.coins, second.reward.coinReason, second.message.reward], [0, 'rate_limited', { xp: 1, coins: 0 }]);
    assert.equal((await progress(t, 'dev-cool-cody')).nextCoinAt, new Date(t.clock.now() + 299_000).toISOString());
    t.clock.advance(298_999);
    assert.equal(ok<{ reward: Reward }>(await send(a, 'almost')).reward.coins, 0);
    t.clock.advance(1);
    const third = ok<{ reward: Reward }>(await send(a, 'three'));
    assert.deepEqual([third.reward.coins, third.reward.coinBalance, third.reward.sessionCoins], [1, 2, 2]);
    await assertLedgerBalanced(t);
  });
});

describe('a hot-store failure after the commit', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('catches the leaderboard and the reward event up when the client retries the clientId', async () => {
    const host = await t.joined('Flaky Host', 'lobby', ['host']);
    ok(await call(host, 'session:start', { roomId: 'lobby' }));
    ok(await call(host, 'room:join', { roomId: 'lobby' })); // the session board is now loaded (empty)
    const a = await t.joined('Flaky Fay');
    const otherTab = await t.joined('Flaky Fay');
    const rewards = collect(otherTab, 'reward');
    const toSender = collect(a, 'reward');
    const updates = collect(host, 'leaderboard:update');
    const hot = t.server.hot;
    const upsertScore = hot.upsertScore;
    hot.upsertScore = async () => {
      hot.upsertScore = upsertScore;
      throw new Error('redis went away');
    };
    const id = clientId();
    const failed = await send(a, 'stored, then the cache failed', 'lobby', id);
    assert.equal(failed.ok, false);
    assert.equal(failed.error.code, 'internal');
    assert.deepEqual((await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body.entries, [], 'the board missed the award');

    const retry = ok<{ message: Message; reward: Reward }>(await send(a, 'stored, then the cache failed', 'lobby', id));
    assert.deepEqual([retry.reward.xp, retry.reward.coins, retry.reward.messageId], [1, 1, retry.message.id]);
    const fay = { rank: 1, userId: 'dev-flaky-fay', name: 'Flaky Fay', avatarUrl: null, coins: 1, messages: 1 };
    assert.deepEqual((await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body.entries, [fay]);
    await eventually(() => assert.deepEqual(updates.at(-1)?.entries, [fay]));
    await eventually(() => assert.equal(rewards.length, 1));
    assert.equal(rewards[0]!.messageId, retry.message.id);
    assert.equal(toSender.length, 0, 'the sender has it in the ack');
    await assertLedgerBalanced(t);
  });
});

describe('idempotency', () => {
  let t: TestServer;
  const apiKey = 'test-api-key-0123456789';
  before(async () => {
    t = await startServer({ config: { xpApiKey: apiKey } });
  });
  after(() => t.destroy());

  it('awards once for the same clientId sent 10 times, even at once; every reward names its message', async () => {
    const a = await t.joined('Retry Rita');
    const otherTab = await t.joined('Retry Rita');
    const rewards = collect(otherTab, 'reward');
    const toSender = collect(a, 'reward');
    const id = clientId();
    const acks = await Promise.all(Array.from({ length: 10 }, () => send(a, 'same message', 'lobby', id)));
    const ids = new Set(acks.map((x) => ok<{ message: Message }>(x).message.id));
    assert.equal(ids.size, 1);
    const [messageId] = [...ids];
    assert.equal(acks[0].reward.messageId, messageId);
    assert.ok(acks.every((x) => JSON.stringify(x.reward) === JSON.stringify(acks[0].reward)));
    const p = await progress(t, 'dev-retry-rita');
    assert.deepEqual([p.totalXp, p.coinBalance], [1, 1]);
    // Retries send the event again to the user's other connections (the first attempt may have
    // failed before it); clients dedupe by messageId, which is the same in every one. The
    // sending connection has it in every ack.
    await eventually(() => assert.equal(rewards.length, 10));
    assert.ok(rewards.every((r) => JSON.stringify(r) === JSON.stringify(acks[0].reward)));
    assert.equal(toSender.length, 0);
    await assertLedgerBalanced(t);
  });

  it('accepts an XP event id once and reports it as a duplicate after', async () => {
    const headers = { 'x-api-key': apiKey };
    const batch = { events: [{ id: 'quiz-1', userId: 'dev-retry-rita', kind: 'quiz_win', delta: 30, metadata: { quiz: 7 } }] };
    const first = await http(t, 'POST', '/api/xp/events', { body: batch, headers });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { acceptedIds: ['quiz-1'], duplicateIds: [] });
    const again = await http(t, 'POST', '/api/xp/events', {
      body: [...batch.events, { id: 'quiz-2', userId: 'dev-retry-rita', kind: 'quiz_win', delta: 5 }],
      headers,
    });
    assert.deepEqual(again.body, { acceptedIds: ['quiz-2'], duplicateIds: ['quiz-1'] });
    const p = await progress(t, 'dev-retry-rita');
    assert.equal(p.totalXp, 36);
    assert.equal(p.dailyXp, 1, 'outside XP is not chat XP');
    assert.equal(p.level, 2);
    await assertLedgerBalanced(t);
  });

  it('refuses bad XP batches whole, with the reason, and bad keys', async () => {
    const headers = { 'x-api-key': apiKey };
    const before = (await progress(t, 'dev-batch-bo')).totalXp;
    const bad = await http(t, 'POST', '/api/xp/events', {
      body: {
        events: [
          { id: 'ok-1', userId: 'dev-batch-bo', kind: 'bonus', delta: 5 },
          { id: 'bad-1', userId: 'dev-batch-bo', kind: 'bonus', delta: 1.5 },
        ],
      },
      headers,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid');
    assert.match(bad.body.error.message, /^events\.1\.delta: /);
    assert.equal((await progress(t, 'dev-batch-bo')).totalXp, before, 'nothing of a refused batch is applied');
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ id: `n${i}`, userId: 'u', kind: 'k', delta: 1 }));
    assert.equal((await http(t, 'POST', '/api/xp/events', { body: tooMany, headers })).status, 400);
    assert.equal((await http(t, 'POST', '/api/xp/events', { body: { events: [] }, headers })).status, 400);
    const ev = { events: [{ id: 'x', userId: 'u', kind: 'k', delta: 1 }] };
    assert.equal((await http(t, 'POST', '/api/xp/events', { body: ev })).status, 401);
    assert.equal((await http(t, 'POST', '/api/xp/events', { body: ev, headers: { 'x-api-key': 'wrong' } })).status, 401);
  });

  it('answers 404 when no XP_API_KEY is configured', async () => {
    const plain = await startServer();
    try {
      const res = await http(plain, 'POST', '/api/xp/events', { body: { events: [] }, headers: { 'x-api-key': 'anything' } });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    } finally {
      await plain.destroy();
    }
  });
});

describe('restart', () => {
  it('keeps the daily count, the cooldown and the leaderboard', async () => {
    let t = await startServer({ config: { dailyXpCap: 3 } });
    try {
      const a = await t.joined('Restart Rob');
      const b = await t.joined('Restart Bea');
      for (const text of ['1', '2', '3']) ok(await send(a, text));
      ok(await send(b, 'hi'));
      const boardBefore = (await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body;
      const robBefore = await progress(t, 'dev-restart-rob');
      assert.deepEqual([robBefore.dailyXp, robBefore.coinBalance], [3, 1]);

      t = await t.restart();
      assert.deepEqual((await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body, boardBefore);
      assert.deepEqual(await progress(t, 'dev-restart-rob'), robBefore);
      t.clock.advance(1000);
      const a2 = await t.joined('Restart Rob');
      const join = ok<{ leaderboard: LeaderboardEntry[]; me: { progress: { dailyXp: number } } }>(
        await call(a2, 'room:join', { roomId: 'lobby' }),
      );
      assert.deepEqual(join.leaderboard, boardBefore.entries);
      assert.equal(join.me.progress.dailyXp, 3);
      const after = ok<{ reward: Reward }>(await send(a2, 'after restart')).reward;
      assert.deepEqual([after.xp, after.coins, after.coinReason, after.dailyXp], [0, 0, 'cap_reached', 3]);
      const board = (await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body.entries as LeaderboardEntry[];
      assert.deepEqual(
        board.map((e) => [e.userId, e.coins, e.messages]),
        [
          ['dev-restart-rob', 1, 4],
          ['dev-restart-bea', 1, 1],
        ],
      );
      await assertLedgerBalanced(t);
    } finally {
      await t.destroy();
    }
  });
});

describe('rewards, levels and leaderboards', () => {
  let t: TestServer;
  const logs: Record<string, unknown>[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
        done();
      },
    });
    t = await startServer({
      config: { xpPerMessage: 25, dailyXpCap: 1000, coinCooldownSeconds: 0, leaderboardSize: 2, messagesPerMinute: 1000 },
      logger: pino({ level: 'debug' }, sink),
    });
  });
  after(() => t.destroy());

  it("reports level-ups, sends the reward event to the earner's other sockets only (the sender has the ack), and logs awards (a line per message at debug)", async () => {
    const token = await t.token('Level Lea');
    const tab1 = await t.connect(token);
    const tab2 = await t.connect(token);
    for (const s of [tab1, tab2]) ok(await call(s, 'room:join', { roomId: 'lobby' }));
    const other = await t.joined('Other Otto');
    const otherRewards = collect(other, 'reward');
    const onTab2 = nextEvent(tab2, 'reward');
    const tab1Rewards = collect(tab1, 'reward');
    const broadcast = nextEvent(other, 'message:new');
    const ack = ok<{ reward: Reward }>(await send(tab1, 'level me'));
    assert.deepEqual(
      [ack.reward.xp, ack.reward.totalXp, ack.reward.level, ack.reward.leveledUp, ack.reward.levelStartXp, ack.reward.nextLevelXp],
      [25, 25, 2, true, 25, 75],
    );
    assert.deepEqual(await onTab2, ack.reward);
    assert.deepEqual((await broadcast).reward, { xp: 25, coins: 1 });
    const onTab1 = nextEvent(tab1, 'reward');
    const second = ok<{ reward: Reward }>(await send(tab2, 'no level'));
    assert.equal(second.reward.leveledUp, false);
    assert.deepEqual(await onTab1, second.reward, "tab 2's message: tab 1 is told");
    assert.equal(otherRewards.length, 0);
    assert.deepEqual(tab1Rewards.map((r) => r.messageId), [second.reward.messageId], "tab 1's own reward came in its ack only");
    const award = logs.find((l) => l.msg === 'award' && l.user === 'dev-level-lea');
    assert.ok(award, 'an award log line');
    // A line per message at debug, the rare level-up at info (pino writes levels as numbers).
    const { debug: DEBUG, info: INFO } = pino.levels.values;
    assert.equal(award.level, DEBUG, 'awards at debug');
    assert.deepEqual(
      Object.keys(award).filter((k) => ['user', 'room', 'session', 'xp', 'coins', 'seq'].includes(k)).sort(),
      ['coins', 'room', 'seq', 'session', 'user', 'xp'],
    );
    assert.ok(logs.some((l) => l.msg === 'level up' && l.user === 'dev-level-lea' && l.levelReached === 2 && l.level === INFO));
    const messageLines = logs.filter((l) => l.msg === 'message' && l.room === 'lobby' && typeof l.seq === 'number');
    assert.ok(messageLines.length > 0 && messageLines.every((l) => l.level === DEBUG), 'a line per message, at debug');
  });

  it('ranks coins, then messages, then who got there first; pushes coalesced updates; joins carry the top N', async () => {
    const host = await t.joined('Board Host', 'lobby', ['host']);
    const started = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    const updates = collect(host, 'leaderboard:update');
    const [x, y, z] = await Promise.all(['Rank X', 'Rank Y', 'Rank Z'].map((n) => t.joined(n)));
    ok(await send(y!, 'y1'));
    ok(await send(x!, 'x1'));
    ok(await send(z!, 'z1'));
    ok(await send(z!, 'z2'));
    ok(await send(x!, 'x2'));
    // z and x: 2 coins, 2 messages, z got there first; y: 1 coin.
    const expected = [
      { rank: 1, userId: 'dev-rank-z', name: 'Rank Z', avatarUrl: null, coins: 2, messages: 2 },
      { rank: 2, userId: 'dev-rank-x', name: 'Rank X', avatarUrl: null, coins: 2, messages: 2 },
    ];
    await eventually(() => assert.deepEqual(updates.at(-1)?.entries, expected));
    assert.equal(updates.at(-1)!.sessionId, started.session.id);
    const join = ok<{ leaderboard: LeaderboardEntry[] }>(await call(host, 'room:join', { roomId: 'lobby' }));
    assert.deepEqual(join.leaderboard, expected);
  });

  it('coalesces leaderboard:update (not one per message)', async () => {
    const host = await t.joined('Burst Host', 'lobby', ['host']);
    const updates = collect(host, 'leaderboard:update');
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => send(host, `burst ${i}`)));
    acks.forEach(ok);
    await eventually(() =>
      assert.equal(updates.at(-1)?.entries.find((e) => e.userId === 'dev-burst-host')?.messages, 40),
    );
    assert.ok(updates.length < 40, `${updates.length} updates for 40 messages`);
  });
});
