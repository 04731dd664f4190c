/**
 * Property test of the economy: random sequences of sends, retries (same clientId), clock
 * moves (seconds to days) and restarts, over real sockets and a real SQLite file. After
 * every sequence, for every user: totals = Σ events in the ledger, and the totals, daily XP,
 * coins and leaderboard equal what a plain model of the rules predicts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LeaderboardEntry, Reward } from 'live-chat-protocol';
import { call, http, ok, send, startServer, type Client, type TestServer } from './helpers.ts';

const RULES = { xpPerMessage: 2, dailyXpCap: 5, coinsPerMessage: 1, coinCooldownSeconds: 60 };
const USERS = ['Prop Ada', 'Prop Bo', 'Prop Cy'];

type Action =
  | { kind: 'send'; user: number; fresh: boolean; pick: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'restart' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), user: fc.nat(USERS.length - 1), fresh: fc.boolean(), pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 3_600_000, max: 30 * 3_600_000 })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

interface ModelUser {
  totalXp: number;
  coins: number;
  daily: Map<string, number>;
  lastCoinAt: number | null;
  messages: number;
  lastSeq: number;
  /** clientId → the reward the first send got */
  sent: Map<string, Reward>;
}

describe('economy property', () => {
  it('keeps totals = Σ events and matches the model over random sends, retries, clock moves and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        let t: TestServer = await startServer({ config: { ...RULES, messagesPerMinute: 100_000 } });
        const sockets = new Map<number, Client>();
        const model = USERS.map<ModelUser>(() => ({
          totalXp: 0,
          coins: 0,
          daily: new Map(),
          lastCoinAt: null,
          messages: 0,
          lastSeq: 0,
          sent: new Map(),
        }));
        const socketOf = async (user: number) => {
          if (!sockets.has(user)) sockets.set(user, await t.joined(USERS[user]!));
          return sockets.get(user)!;
        };
        try {
          for (const a of actions) {
            if (a.kind === 'tick') {
              t.clock.advance(a.ms);
            } else if (a.kind === 'restart') {
              sockets.clear();
              t = await t.restart();
            } else {
              const m = model[a.user]!;
              const known = [...m.sent.keys()];
              const retry = !a.fresh && known.length > 0;
              const id = retry ? known[a.pick % known.length]! : crypto.randomUUID();
              const ack = ok<{ reward: Reward; message: { seq: number } }>(await send(await socketOf(a.user), 'p', 'lobby', id));
              if (retry) {
                assert.deepEqual(ack.reward, m.sent.get(id), 'a retry answers the first reward');
                continue;
              }
              const now = t.clock.now();
              const day = new Date(now).toISOString().slice(0, 10);
              const daily = m.daily.get(day) ?? 0;
              const xp = Math.min(RULES.xpPerMessage, Math.max(0, RULES.dailyXpCap - daily));
              const coins = m.lastCoinAt === null || now - m.lastCoinAt >= RULES.coinCooldownSeconds * 1000 ? 1 : 0;
              m.daily.set(day, daily + xp);
              m.totalXp += xp;
              m.coins += coins;
              m.messages += 1;
              m.lastSeq = ack.message.seq;
              if (coins) m.lastCoinAt = now;
              assert.deepEqual(
                [ack.reward.xp, ack.reward.coins, ack.reward.totalXp, ack.reward.dailyXp, ack.reward.coinBalance],
                [xp, coins, m.totalXp, daily + xp, m.coins],
              );
              m.sent.set(id, ack.reward);
            }
          }

          const day = new Date(t.clock.now()).toISOString().slice(0, 10);
          for (const [i, name] of USERS.entries()) {
            const userId = `dev-${name.toLowerCase().replace(' ', '-')}`;
            const audit = await t.server.ledger.audit(userId);
            assert.equal(audit.totalXp, audit.xpEventsSum);
            assert.equal(audit.coinBalance, audit.coinEventsSum);
            assert.equal(audit.totalXp, model[i]!.totalXp);
            assert.equal(audit.coinBalance, model[i]!.coins);
            const p = (await http(t, 'GET', `/api/users/${userId}/xp`)).body;
            assert.deepEqual([p.totalXp, p.dailyXp, p.coinBalance], [model[i]!.totalXp, model[i]!.daily.get(day) ?? 0, model[i]!.coins]);
          }
          const expected = model
            .map((m, i) => ({ userId: `dev-${USERS[i]!.toLowerCase().replace(' ', '-')}`, coins: m.coins, messages: m.messages, lastSeq: m.lastSeq }))
            .filter((e) => e.messages > 0)
            .sort((x, y) => y.coins - x.coins || y.messages - x.messages || x.lastSeq - y.lastSeq)
            .map(({ userId, coins, messages }) => [userId, coins, messages]);
          const board = (await http(t, 'GET', '/api/rooms/lobby/leaderboard')).body.entries as LeaderboardEntry[];
          assert.deepEqual(
            board.map((e) => [e.userId, e.coins, e.messages]),
            expected,
          );
          if (sockets.size > 0) {
            const join = ok<{ leaderboard: LeaderboardEntry[] }>(await call([...sockets.values()][0]!, 'room:join', { roomId: 'lobby' }));
            assert.deepEqual(join.leaderboard, board, 'hot leaderboard = ledger leaderboard');
          }
        } finally {
          await t.destroy();
        }
      }),
      { numRuns: 40 },
    );
  });
});
