/**
 * The ledger contract: every `Ledger` implementation (SQLite now, PostgreSQL next) must pass
 * this suite. Run it with `ledgerContract('sqlite', async () => ({ ledger, cleanup }))`.
 *
 * Each test gets a fresh, empty ledger from the factory and cleans it up afterwards; after
 * every test the audit must hold (`total = Σ events` for XP and coins of every user). Nothing
 * here knows the storage: the rules are the protocol's pure functions, handed in as the
 * services hand them (`decide`, `needsNewSession`), and concurrency is plain `Promise.all`.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { decideAward, needsNewSession, utcDay, type AwardRules, type UserRef } from 'live-chat-protocol';
import type { AppendChatMessageInput, Ledger, ModerationLogRecord, SessionRule, XpEventRecord } from '../../../server/stores/ledger.ts';

export interface LedgerFixture {
  ledger: Ledger;
  /** Closes the ledger and removes what it stored (files, databases). */
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2030-01-15T12:00:00.000Z');
const DAY = '2030-01-15';
const RULES: AwardRules = { xpPerMessage: 1, dailyXpCap: 50, coinsPerMessage: 1, coinCooldownSeconds: 300 };
const decide: AppendChatMessageInput['decide'] = (state) => decideAward(RULES, state);
/** The session rule as the session service hands it: `needsNewSession` bound to a window and a time. */
const windowRule = (opensAt: number | null, now: number): SessionRule => (latest) => needsNewSession(latest, opensAt, now);

const user = (id: string): UserRef => ({ id, name: id.toUpperCase(), avatarUrl: null, badges: [] });
const room = (id: string, createdAt = T0) => ({
  id,
  title: `Room ${id}`,
  private: false,
  opensAt: null,
  closesAt: null,
  slowModeSeconds: 0,
  createdAt,
});

/** A chat message append: user u1 in room r at T0 with the default rules, unless told otherwise. */
function append(overrides: Partial<AppendChatMessageInput> & { clientId: string }): AppendChatMessageInput {
  const now = overrides.now ?? T0;
  return {
    roomId: 'r',
    user: user('u1'),
    guest: false,
    text: `text ${overrides.clientId}`,
    now,
    day: utcDay(now),
    needsNewSession: windowRule(null, now),
    decide,
    ...overrides,
  };
}

const xpEvent = (id: string, userId: string, delta: number, now = T0): XpEventRecord => ({
  id,
  userId,
  kind: 'bonus',
  delta,
  roomId: null,
  metadata: { source: 'test' },
  now,
  day: utcDay(now),
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function ledgerContract(name: string, factory: () => Promise<LedgerFixture>): void {
  describe(`Ledger contract: ${name}`, () => {
    let open: LedgerFixture[] = [];
    /** A fresh ledger with room `r` (and the rooms named). */
    const ledgerWith = async (...rooms: string[]) => {
      const fixture = await factory();
      open.push(fixture);
      for (const id of ['r', ...rooms]) assert.equal(await fixture.ledger.createRoom(room(id)), true);
      return fixture.ledger;
    };
    afterEach(async () => {
      try {
        for (const { ledger } of open) {
          for (const userId of await ledger.listUsers()) {
            const audit = await ledger.audit(userId);
            assert.equal(audit.totalXp, audit.xpEventsSum, `${userId}: total XP = Σ XP events`);
            assert.equal(audit.coinBalance, audit.coinEventsSum, `${userId}: coin balance = Σ coin events`);
          }
        }
      } finally {
        await Promise.all(open.map((f) => f.cleanup()));
        open = [];
      }
    });

    it('answers ping', async () => {
      await (await ledgerWith()).ping();
    });

    describe('rooms', () => {
      it('creates a room once, lists rooms oldest first, patches only the fields given', async () => {
        const ledger = await ledgerWith();
        assert.equal(await ledger.createRoom({ ...room('r'), title: 'Again' }), false, 'the id is taken');
        await ledger.createRoom(room('b', T0 + 1));
        await ledger.createRoom(room('a', T0 + 1));
        assert.deepEqual((await ledger.listRooms()).map((r) => r.id), ['r', 'a', 'b']);
        assert.deepEqual(await ledger.getRoom('r'), { ...room('r'), lastSeq: 0, pinnedMessageId: null });
        assert.equal(await ledger.getRoom('missing'), null);

        const patched = await ledger.updateRoom('r', { title: 'New', slowModeSeconds: 5, opensAt: T0 + 10 });
        assert.deepEqual(patched, { ...room('r'), title: 'New', slowModeSeconds: 5, opensAt: T0 + 10, lastSeq: 0, pinnedMessageId: null });
        const cleared = await ledger.updateRoom('r', { opensAt: null });
        assert.equal(cleared!.opensAt, null);
        assert.equal(cleared!.title, 'New', 'fields left out stay');
        assert.equal(await ledger.updateRoom('missing', { title: 'x' }), null);
      });
    });

    describe('seq', () => {
      it('is strictly increasing per room and never reused, under concurrent appends', async () => {
        const ledger = await ledgerWith('other');
        const appends = [
          ...range(100).map((i) => append({ clientId: `a${i}`, user: user(`u${i % 5}`) })),
          ...range(50).map((i) => append({ clientId: `b${i}`, roomId: 'other', user: user(`u${i % 3}`) })),
        ];
        const results = await Promise.all(appends.map((a) => ledger.appendChatMessage(a)));
        const seqs = (roomId: string) => results.filter((r) => r.message.roomId === roomId).map((r) => r.message.seq);
        assert.deepEqual([...seqs('r')].sort((a, b) => a - b), range(100).map((i) => i + 1));
        assert.deepEqual([...seqs('other')].sort((a, b) => a - b), range(50).map((i) => i + 1));
        assert.equal((await ledger.getRoom('r'))!.lastSeq, 100);

        // A failed append burns no seq, and no later append reuses one.
        await assert.rejects(ledger.appendChatMessage(append({ clientId: 'boom', decide: () => { throw new Error('rule failed'); } })));
        assert.equal(await ledger.findMessageByClientId('r', 'u1', 'boom'), null);
        assert.equal((await ledger.getRoom('r'))!.lastSeq, 100);
        const more = await Promise.all(range(10).map((i) => ledger.appendChatMessage(append({ clientId: `c${i}` }))));
        assert.deepEqual(more.map((m) => m.message.seq).sort((a, b) => a - b), range(10).map((i) => i + 101));
        const stored = await ledger.messagesAfter('r', 0, 1000);
        assert.deepEqual(stored.map((m) => m.seq), range(110).map((i) => i + 1), 'oldest first, no gaps, no repeats');
      });

      it('refuses an append to an unknown room', async () => {
        const ledger = await ledgerWith();
        await assert.rejects(ledger.appendChatMessage(append({ clientId: 'x', roomId: 'missing' })));
        assert.deepEqual(await ledger.listUsers(), []);
      });
    });

    describe('clientId', () => {
      it('is unique per room and user: a duplicate is answered with the first message, nothing is written twice', async () => {
        const ledger = await ledgerWith('other');
        const same = await Promise.all(range(10).map(() => ledger.appendChatMessage(append({ clientId: 'dup' }))));
        assert.equal(same.filter((r) => !r.duplicate).length, 1);
        const first = same.find((r) => !r.duplicate)!;
        assert.ok(same.every((r) => r.message.id === first.message.id && r.message.seq === 1));
        assert.ok(same.every((r) => r.duplicate === (r !== first) && (r.duplicate ? r.sessionStarted === null : true)));
        assert.deepEqual(same.map((r) => r.message.award), same.map(() => first.message.award), 'the first award, every time');
        assert.deepEqual(await ledger.userStanding('u1', DAY), { userId: 'u1', totalXp: 1, coinBalance: 1, dailyChatXp: 1, lastCoinAt: T0 });

        const otherUser = await ledger.appendChatMessage(append({ clientId: 'dup', user: user('u2') }));
        const otherRoom = await ledger.appendChatMessage(append({ clientId: 'dup', roomId: 'other' }));
        assert.equal(otherUser.duplicate, false);
        assert.equal(otherRoom.duplicate, false);
        assert.equal(new Set([first.message.id, otherUser.message.id, otherRoom.message.id]).size, 3);
        assert.equal((await ledger.messagesAfter('r', 0, 100)).length, 2);
        assert.equal((await ledger.findMessageByClientId('r', 'u1', 'dup'))!.id, first.message.id);
        assert.equal(await ledger.findMessageByClientId('r', 'u3', 'dup'), null);
      });
    });

    describe('awards', () => {
      it('are exact under concurrency: 200 appends by one user earn the daily cap and one coin per cooldown', async () => {
        const ledger = await ledgerWith();
        const burst = (prefix: string, now: number) =>
          Promise.all(range(200).map((i) => ledger.appendChatMessage(append({ clientId: `${prefix}${i}`, now }))));
        const first = await burst('a', T0);
        const awards = first.map((r) => r.message.award!);
        assert.equal(awards.reduce((s, a) => s + a.xp, 0), 50);
        assert.equal(awards.reduce((s, a) => s + a.coins, 0), 1);
        assert.equal(Math.max(...awards.map((a) => a.dailyXp)), 50);
        assert.ok(awards.every((a) => a.dailyXp <= 50));
        assert.equal(awards.filter((a) => a.coinReason === 'cap_reached').length, 150);
        assert.equal(awards.filter((a) => a.coinReason === 'chat_message').length, 1);

        // Still in the cooldown: nothing more. Once it has passed: exactly one more coin.
        assert.equal((await burst('b', T0 + 299_999)).reduce((s, r) => s + r.message.award!.coins, 0), 0);
        assert.equal((await burst('c', T0 + 300_000)).reduce((s, r) => s + r.message.award!.coins, 0), 1);
        assert.deepEqual(await ledger.userStanding('u1', DAY), {
          userId: 'u1',
          totalXp: 50,
          coinBalance: 2,
          dailyChatXp: 50,
          lastCoinAt: T0 + 300_000,
        });

        // A new UTC day: XP again, the cap counted from zero.
        const nextDay = Date.parse('2030-01-16T00:00:00.000Z');
        const tomorrow = await ledger.appendChatMessage(append({ clientId: 'd', now: nextDay }));
        assert.deepEqual([tomorrow.message.award!.xp, tomorrow.message.award!.dailyXp, tomorrow.message.award!.totalXp], [1, 1, 51]);
      });

      it('hands the award rule what the ledger holds at that moment, and rolls everything back when it throws', async () => {
        const ledger = await ledgerWith();
        const seen: { dailyChatXp: number; lastCoinAt: number | null }[] = [];
        for (const [i, now] of [T0, T0 + 1000, T0 + 2000].entries()) {
          await ledger.appendChatMessage(
            append({
              clientId: `s${i}`,
              now,
              decide: (state) => {
                seen.push({ dailyChatXp: state.dailyChatXp, lastCoinAt: state.lastCoinAt });
                assert.equal(state.now, now);
                return { xp: 2, coins: state.lastCoinAt === null ? 1 : 0, coinReason: null };
              },
            }),
          );
        }
        assert.deepEqual(seen, [
          { dailyChatXp: 0, lastCoinAt: null },
          { dailyChatXp: 2, lastCoinAt: T0 },
          { dailyChatXp: 4, lastCoinAt: T0 },
        ]);
        await assert.rejects(ledger.appendChatMessage(append({ clientId: 'boom', decide: () => { throw new Error('rule failed'); } })));
        assert.deepEqual(await ledger.userStanding('u1', DAY), { userId: 'u1', totalXp: 6, coinBalance: 1, dailyChatXp: 6, lastCoinAt: T0 });
      });

      it('stores a snapshot of the standing after the award, per session', async () => {
        const ledger = await ledgerWith();
        await ledger.appendXpEvents([xpEvent('bonus', 'u1', 100)]);
        const a = (await ledger.appendChatMessage(append({ clientId: 'a' }))).message;
        const b = (await ledger.appendChatMessage(append({ clientId: 'b', now: T0 + 1000 }))).message;
        assert.deepEqual(a.award, {
          xp: 1,
          coins: 1,
          coinReason: 'chat_message',
          totalXp: 101,
          dailyXp: 1,
          coinBalance: 1,
          sessionCoins: 1,
          sessionMessages: 1,
          sessionId: a.sessionId,
        });
        assert.deepEqual(b.award, { ...a.award!, coins: 0, coinReason: 'rate_limited', totalXp: 102, dailyXp: 2, sessionMessages: 2 });
      });

      it('gives guests (no award rule) no award, no events, and no leaderboard place', async () => {
        const ledger = await ledgerWith();
        const guest = await ledger.appendChatMessage(append({ clientId: 'g', user: user('guest-1'), guest: true, decide: null }));
        assert.equal(guest.message.award, null);
        assert.equal(guest.message.guest, true);
        await ledger.appendChatMessage(append({ clientId: 'm' }));
        assert.deepEqual(await ledger.listUsers(), ['u1']);
        assert.deepEqual((await ledger.sessionScores(guest.message.sessionId)).map((s) => s.userId), ['u1']);
      });
    });

    describe('outside XP events', () => {
      it('are idempotent by id, within a batch and across batches, and are not chat XP', async () => {
        const ledger = await ledgerWith();
        const first = await ledger.appendXpEvents([xpEvent('e1', 'u1', 10), xpEvent('e2', 'u2', -3), xpEvent('e1', 'u1', 10)]);
        assert.deepEqual(first, { acceptedIds: ['e1', 'e2'], duplicateIds: ['e1'] });
        const again = await ledger.appendXpEvents([xpEvent('e2', 'u2', -3), xpEvent('e3', 'u1', 5)]);
        assert.deepEqual(again, { acceptedIds: ['e3'], duplicateIds: ['e2'] });
        assert.deepEqual(await ledger.userStanding('u1', DAY), { userId: 'u1', totalXp: 15, coinBalance: 0, dailyChatXp: 0, lastCoinAt: null });
        assert.equal((await ledger.userStanding('u2', DAY)).totalXp, -3);
      });

      it('never collide with the ids of chat awards', async () => {
        const ledger = await ledgerWith();
        const m = await ledger.appendChatMessage(append({ clientId: 'c1' }));
        const chatId = `chat:${m.message.id}`;
        const answer = await ledger.appendXpEvents([xpEvent(chatId, 'u1', 10), xpEvent(chatId, 'u1', 10)]);
        assert.deepEqual(answer, { acceptedIds: [chatId], duplicateIds: [chatId] });
        const audit = await ledger.audit('u1');
        assert.deepEqual([audit.totalXp, audit.xpEventsSum], [11, 11]);
        assert.equal((await ledger.userStanding('u1', DAY)).dailyChatXp, 1, 'outside XP is not chat XP');
      });

      it('are applied exactly once under concurrent batches', async () => {
        const ledger = await ledgerWith();
        const batches = await Promise.all(range(20).map(() => ledger.appendXpEvents(range(10).map((i) => xpEvent(`e${i}`, 'u1', 1)))));
        assert.equal(batches.reduce((s, b) => s + b.acceptedIds.length, 0), 10);
        assert.equal((await ledger.audit('u1')).totalXp, 10);
      });
    });

    describe('sessions', () => {
      it('the first message starts one; later messages join it', async () => {
        const ledger = await ledgerWith();
        assert.equal(await ledger.latestSession('r'), null);
        const first = await ledger.appendChatMessage(append({ clientId: 'a' }));
        assert.ok(first.sessionStarted);
        assert.equal(first.sessionStarted.id, first.message.sessionId);
        const second = await ledger.appendChatMessage(append({ clientId: 'b' }));
        assert.equal(second.sessionStarted, null);
        assert.equal(second.message.sessionId, first.message.sessionId);
        assert.deepEqual(await ledger.latestSession('r'), { id: first.message.sessionId, roomId: 'r', startedAt: T0, endedAt: null, likes: 0 });
      });

      it('reads a room with its newest session in one call, as getRoom and latestSession answer them', async () => {
        const ledger = await ledgerWith();
        const agree = async () =>
          assert.deepEqual(await ledger.getRoomWithLatestSession('r'), { room: await ledger.getRoom('r'), latestSession: await ledger.latestSession('r') });
        assert.equal(await ledger.getRoomWithLatestSession('missing'), null);
        assert.equal((await ledger.getRoomWithLatestSession('r'))!.latestSession, null, 'no session yet');
        await agree();
        await ledger.appendChatMessage(append({ clientId: 'with-session-1' }));
        await agree();
        const first = (await ledger.latestSession('r'))!;
        await ledger.addSessionLikes(first.id, 2, T0);
        await ledger.endSession('r', T0 + 5);
        await agree();
        const second = await ledger.startSession('r', T0 + 10);
        await ledger.appendChatMessage(append({ clientId: 'with-session-2', now: T0 + 11 }));
        const read = (await ledger.getRoomWithLatestSession('r'))!;
        assert.equal(read.latestSession!.id, second.id, 'the newest, not the first');
        assert.equal(read.room.lastSeq, 2);
        await agree();
      });

      it('ensure, start and end, with the window-opening rule handed in', async () => {
        const ledger = await ledgerWith();
        const early = await ledger.ensureSession('r', T0, windowRule(null, T0));
        assert.equal(early.started, true);
        assert.equal((await ledger.ensureSession('r', T0 + 1, windowRule(null, T0 + 1))).started, false);
        const opened = await ledger.ensureSession('r', T0 + 10, windowRule(T0 + 5, T0 + 10));
        assert.equal(opened.started, true, 'the window opened after the session started');
        assert.notEqual(opened.session.id, early.session.id);
        assert.equal((await ledger.getSession(early.session.id))!.endedAt, T0 + 10, 'the replaced session ended');
        assert.equal((await ledger.ensureSession('r', T0 + 20, windowRule(T0 + 5, T0 + 20))).started, false);

        const started = await ledger.startSession('r', T0 + 25);
        assert.notEqual(started.id, opened.session.id);
        assert.equal((await ledger.getSession(opened.session.id))!.endedAt, T0 + 25, 'start ends the open session');
        const ended = await ledger.endSession('r', T0 + 30);
        assert.deepEqual(ended, { ...started, endedAt: T0 + 30 });
        assert.equal(await ledger.endSession('r', T0 + 31), null, 'nothing open to end');
        const after = await ledger.ensureSession('r', T0 + 40, windowRule(null, T0 + 40));
        assert.equal(after.started, true, 'after an end, a new session');
        assert.equal((await ledger.latestSession('r'))!.id, after.session.id);
        assert.equal(await ledger.getSession('missing'), null);
      });

      it('applies the handed-in rule and no rule of its own', async () => {
        const ledger = await ledgerWith();
        const first = await ledger.ensureSession('r', T0, () => false);
        assert.equal(first.started, true, 'with no session at all, one starts whatever the rule says');
        await ledger.endSession('r', T0 + 1);
        const seen: string[] = [];
        const kept = await ledger.ensureSession('r', T0 + 2, (latest) => {
          seen.push(latest.id);
          return false;
        });
        assert.deepEqual(seen, [first.session.id], 'the rule is asked about the newest session');
        assert.deepEqual([kept.started, kept.session.id, kept.session.endedAt], [false, first.session.id, T0 + 1]);
        const always = () => true;
        const a = await ledger.ensureSession('r', T0 + 3, always);
        const b = await ledger.ensureSession('r', T0 + 4, always);
        assert.ok(a.started && b.started && a.session.id !== b.session.id);
        const m1 = await ledger.appendChatMessage(append({ clientId: 'm1', needsNewSession: always }));
        const m2 = await ledger.appendChatMessage(append({ clientId: 'm2', needsNewSession: always }));
        assert.ok(m1.sessionStarted && m2.sessionStarted);
        assert.notEqual(m1.message.sessionId, m2.message.sessionId);
      });

      it('counts hearts per session', async () => {
        const ledger = await ledgerWith();
        const { session } = await ledger.ensureSession('r', T0, windowRule(null, T0));
        assert.equal(await ledger.addSessionLikes(session.id, 1), 1);
        const totals = await Promise.all(range(10).map(() => ledger.addSessionLikes(session.id, 3)));
        assert.equal(Math.max(...totals), 31);
        assert.equal((await ledger.latestSession('r'))!.likes, 31);
        const next = await ledger.startSession('r', T0 + 1);
        assert.equal(next.likes, 0);
      });

      it('ranks nothing itself: scores per user of a session, guests left out', async () => {
        const ledger = await ledgerWith();
        const a1 = await ledger.appendChatMessage(append({ clientId: 'a1', user: user('ann') }));
        await ledger.appendChatMessage(append({ clientId: 'b1', user: user('bob') }));
        const a2 = await ledger.appendChatMessage(append({ clientId: 'a2', user: user('ann'), now: T0 + 1 }));
        await ledger.appendChatMessage(append({ clientId: 'g1', user: user('guest-1'), guest: true, decide: null }));
        const scores = await ledger.sessionScores(a1.message.sessionId);
        assert.deepEqual(
          [...scores].sort((x, y) => x.userId.localeCompare(y.userId)),
          [
            { userId: 'ann', name: 'ANN', avatarUrl: null, coins: 1, messages: 2, lastSeq: a2.message.seq },
            { userId: 'bob', name: 'BOB', avatarUrl: null, coins: 1, messages: 1, lastSeq: 2 },
          ],
        );
        assert.deepEqual(await ledger.sessionScores('missing'), []);
      });
    });

    describe('messages', () => {
      it('pages before and after a seq, oldest first, per room', async () => {
        const ledger = await ledgerWith('other');
        for (const i of range(10)) await ledger.appendChatMessage(append({ clientId: `m${i}` }));
        await ledger.appendChatMessage(append({ clientId: 'x', roomId: 'other' }));
        const seqs = (ms: { seq: number }[]) => ms.map((m) => m.seq);
        assert.deepEqual(seqs(await ledger.messagesBefore('r', undefined, 3)), [8, 9, 10]);
        assert.deepEqual(seqs(await ledger.messagesBefore('r', 8, 3)), [5, 6, 7]);
        assert.deepEqual(seqs(await ledger.messagesBefore('r', 3, 10)), [1, 2]);
        assert.deepEqual(seqs(await ledger.messagesBefore('r', 1, 10)), []);
        assert.deepEqual(seqs(await ledger.messagesAfter('r', 0, 4)), [1, 2, 3, 4]);
        assert.deepEqual(seqs(await ledger.messagesAfter('r', 7, 10)), [8, 9, 10]);
        assert.deepEqual(seqs(await ledger.messagesAfter('r', 10, 10)), []);
        assert.deepEqual(seqs(await ledger.messagesAfter('other', 0, 10)), [1]);
        assert.deepEqual(await ledger.messagesAfter('missing', 0, 10), []);
      });

      it('stores what was sent and reads it back by id, only in its room', async () => {
        const ledger = await ledgerWith('other');
        const { message } = await ledger.appendChatMessage(append({ clientId: 'c', text: 'hello ✨', user: { ...user('u1'), badges: ['host'] } }));
        assert.deepEqual(message, {
          id: message.id,
          seq: 1,
          roomId: 'r',
          sessionId: message.sessionId,
          clientId: 'c',
          user: { ...user('u1'), badges: ['host'] },
          guest: false,
          text: 'hello ✨',
          createdAt: T0,
          likes: 0,
          deleted: false,
          award: message.award,
          replyTo: null,
          reactions: {},
        });
        assert.deepEqual(await ledger.getMessage('r', message.id), message);
        assert.equal(await ledger.getMessage('other', message.id), null);
        assert.equal(await ledger.getMessage('r', 'missing'), null);
      });

      it('toggles one like per user per message', async () => {
        const ledger = await ledgerWith('other');
        const { message } = await ledger.appendChatMessage(append({ clientId: 'c' }));
        assert.deepEqual(await ledger.toggleLike('r', message.id, 'u2'), { likes: 1, liked: true });
        assert.deepEqual(await ledger.toggleLike('r', message.id, 'u3'), { likes: 2, liked: true });
        assert.deepEqual(await ledger.toggleLike('r', message.id, 'u2'), { likes: 1, liked: false });
        assert.equal((await ledger.getMessage('r', message.id))!.likes, 1);
        const burst = await Promise.all(range(9).map(() => ledger.toggleLike('r', message.id, 'u4')));
        assert.equal(burst.filter((b) => b!.liked).length, 5, 'on, off, on, … : the last toggle wins');
        assert.equal((await ledger.getMessage('r', message.id))!.likes, 2);
        assert.equal(await ledger.toggleLike('r', 'missing', 'u2'), null);
        assert.equal(await ledger.toggleLike('other', message.id, 'u2'), null, 'a message of another room');
      });

      it('deletes: blank text, flagged, in place; awards stay; no more likes; only in its room', async () => {
        const ledger = await ledgerWith('other');
        await ledger.appendChatMessage(append({ clientId: 'a' }));
        const { message } = await ledger.appendChatMessage(append({ clientId: 'b', user: user('u2') }));
        const { message: last } = await ledger.appendChatMessage(append({ clientId: 'c' }));
        assert.equal(await ledger.deleteMessage('other', last.id), null, 'a message of another room');
        assert.deepEqual(await ledger.getMessage('r', last.id), last, 'left as it was');
        const deleted = await ledger.deleteMessage('r', message.id);
        assert.deepEqual(deleted, { ...message, text: '', deleted: true });
        assert.deepEqual((await ledger.messagesAfter('r', 0, 10)).map((m) => [m.seq, m.deleted]), [
          [1, false],
          [2, true],
          [3, false],
        ]);
        assert.equal((await ledger.audit('u2')).totalXp, 1, 'what it earned stays');
        assert.equal(await ledger.toggleLike('r', message.id, 'u1'), null);
        assert.equal(await ledger.deleteMessage('r', 'missing'), null);
      });
    });

    describe('replies and reactions (issue 10)', () => {
      const quote = (m: { id: string; seq: number; user: UserRef; text: string }) => ({
        id: m.id,
        seq: m.seq,
        userId: m.user.id,
        name: m.user.name,
        text: m.text.slice(0, 10),
      });

      it('stores a reply with its quote as handed in, reads it back everywhere, and blanks quotes when the original is deleted', async () => {
        const ledger = await ledgerWith('other');
        const { message: original } = await ledger.appendChatMessage(append({ clientId: 'o', user: user('u2') }));
        const { message: other } = await ledger.appendChatMessage(append({ clientId: 'x' }));
        const first = await ledger.appendChatMessage(append({ clientId: 'r1', replyTo: quote(original) }));
        const second = await ledger.appendChatMessage(append({ clientId: 'r2', user: user('u3'), replyTo: quote(original) }));
        await ledger.appendChatMessage(append({ clientId: 'r3', replyTo: quote(other) }));
        assert.deepEqual(first.message.replyTo, quote(original));
        assert.deepEqual((await ledger.getMessage('r', first.message.id))!.replyTo, quote(original));
        assert.deepEqual((await ledger.messagesAfter('r', 0, 10)).map((m) => m.replyTo?.id ?? null), [null, null, original.id, original.id, other.id]);
        assert.deepEqual((await ledger.findMessageByClientId('r', 'u1', 'r1'))!.replyTo, quote(original));
        assert.deepEqual(await ledger.replyIds('r', original.id), [first.message.id, second.message.id]);
        assert.deepEqual(await ledger.replyIds('other', original.id), []);
        await ledger.deleteMessage('r', second.message.id);
        assert.deepEqual(await ledger.replyIds('r', original.id), [first.message.id], 'a deleted reply shows no quote to refresh');

        await ledger.deleteMessage('r', original.id);
        const blank = { ...quote(original), text: '' };
        assert.deepEqual((await ledger.getMessage('r', first.message.id))!.replyTo, blank);
        assert.deepEqual((await ledger.messagesBefore('r', undefined, 10)).map((m) => m.replyTo), [null, null, blank, blank, quote(other)]);
        assert.equal((await ledger.getMessage('r', first.message.id))!.text, first.message.text, 'the reply itself stays');

        // A reply whose original was deleted after the service read it stores a blank quote.
        const late = await ledger.appendChatMessage(append({ clientId: 'r4', replyTo: quote(original) }));
        assert.deepEqual(late.message.replyTo, blank);
        // So does a quote of another room's message (the service refuses one; the ledger checks again).
        const { message: elsewhere } = await ledger.appendChatMessage(append({ clientId: 'e', roomId: 'other' }));
        const across = await ledger.appendChatMessages([append({ clientId: 'r5', replyTo: quote(elsewhere) })]);
        assert.deepEqual(across[0]!.message.replyTo, { ...quote(elsewhere), text: '' });
      });

      it('toggles one of each reaction per user per message, counts in REACTIONS order, ❤️ is the like', async () => {
        const ledger = await ledgerWith('other');
        const { message } = await ledger.appendChatMessage(append({ clientId: 'c' }));
        assert.deepEqual(await ledger.toggleReaction('r', message.id, 'u2', '🎉'), { reactions: { '🎉': 1 }, mine: ['🎉'], added: true });
        assert.deepEqual(await ledger.toggleReaction('r', message.id, 'u2', '👍'), {
          reactions: { '👍': 1, '🎉': 1 },
          mine: ['👍', '🎉'],
          added: true,
        });
        assert.deepEqual(await ledger.toggleReaction('r', message.id, 'u3', '❤️'), {
          reactions: { '👍': 1, '❤️': 1, '🎉': 1 },
          mine: ['❤️'],
          added: true,
        });
        assert.deepEqual(await ledger.toggleLike('r', message.id, 'u2'), { likes: 2, liked: true }, 'the like is the ❤️ reaction');
        assert.deepEqual(await ledger.toggleReaction('r', message.id, 'u2', '🎉'), {
          reactions: { '👍': 1, '❤️': 2 },
          mine: ['👍', '❤️'],
          added: false,
        });
        const stored = (await ledger.getMessage('r', message.id))!;
        assert.deepEqual([stored.likes, stored.reactions], [2, { '👍': 1, '❤️': 2 }]);
        assert.deepEqual(Object.keys(stored.reactions), ['👍', '❤️'], 'REACTIONS order');
        await ledger.toggleReaction('r', message.id, 'u2', '👍');
        await ledger.toggleLike('r', message.id, 'u2');
        await ledger.toggleLike('r', message.id, 'u3');
        const cleared = (await ledger.getMessage('r', message.id))!;
        assert.deepEqual([cleared.likes, cleared.reactions], [0, {}], 'zero counts are omitted');

        assert.equal(await ledger.toggleReaction('r', 'missing', 'u2', '👍'), null);
        assert.equal(await ledger.toggleReaction('other', message.id, 'u2', '👍'), null, 'a message of another room');
        await ledger.deleteMessage('r', message.id);
        assert.equal(await ledger.toggleReaction('r', message.id, 'u2', '👍'), null, 'a deleted message');
      });

      it('keeps counts exact under concurrent toggles of many users', async () => {
        const ledger = await ledgerWith();
        const { message } = await ledger.appendChatMessage(append({ clientId: 'c' }));
        // 20 users add 👍 at once, 10 of them add 😂 twice (on, off) at once, and everyone likes.
        await Promise.all([
          ...range(20).map((i) => ledger.toggleReaction('r', message.id, `u${i}`, '👍')),
          ...range(10).flatMap((i) => [0, 1].map(() => ledger.toggleReaction('r', message.id, `u${i}`, '😂'))),
          ...range(20).map((i) => ledger.toggleLike('r', message.id, `u${i}`)),
        ]);
        const stored = (await ledger.getMessage('r', message.id))!;
        assert.deepEqual(stored.reactions, { '👍': 20, '❤️': 20 });
        assert.equal(stored.likes, 20);
      });
    });

    describe('host tools: pins, restrictions, moderation log, session minutes', () => {
      it('pins and unpins a message through updateRoom', async () => {
        const ledger = await ledgerWith();
        const { message } = await ledger.appendChatMessage(append({ clientId: 'pinned' }));
        assert.equal((await ledger.updateRoom('r', { pinnedMessageId: message.id }))!.pinnedMessageId, message.id);
        assert.equal((await ledger.getRoom('r'))!.pinnedMessageId, message.id);
        assert.equal((await ledger.updateRoom('r', { title: 'Other' }))!.pinnedMessageId, message.id, 'other patches leave it');
        assert.equal((await ledger.updateRoom('r', { pinnedMessageId: null }))!.pinnedMessageId, null);
      });

      it('stores one restriction of each kind per room and user, replaced when set again, until cleared', async () => {
        const ledger = await ledgerWith('other');
        const ban = { roomId: 'r', userId: 'u1', kind: 'ban' as const, until: null, reason: 'spam', actorId: 'host', createdAt: T0 };
        const timeout = { ...ban, kind: 'timeout' as const, until: T0 + 60_000, reason: null };
        await ledger.setRestriction(timeout);
        await ledger.setRestriction(ban);
        await ledger.setRestriction({ ...timeout, until: T0 + 120_000, reason: 'again' });
        const byKind = (list: { kind: string }[]) => [...list].sort((a, b) => a.kind.localeCompare(b.kind));
        assert.deepEqual(byKind(await ledger.restrictionsOf('r', 'u1')), [ban, { ...timeout, until: T0 + 120_000, reason: 'again' }]);
        assert.deepEqual(await ledger.restrictionsOf('other', 'u1'), [], 'per room');
        assert.deepEqual(await ledger.restrictionsOf('r', 'u2'), [], 'per user');
        assert.equal(await ledger.clearRestriction('r', 'u1', 'ban'), true);
        assert.equal(await ledger.clearRestriction('r', 'u1', 'ban'), false, 'nothing left to clear');
        assert.deepEqual((await ledger.restrictionsOf('r', 'u1')).map((x) => x.kind), ['timeout']);
      });

      it('appends to the moderation log and pages it newest first, per room', async () => {
        const ledger = await ledgerWith('other');
        const actor = user('host');
        const entry = (i: number, roomId = 'r') => ({
          roomId,
          at: T0 + i,
          actor,
          action: 'timeout' as const,
          targetUserId: `u${i}`,
          messageId: null,
          reason: i % 2 === 0 ? 'even' : null,
          details: { seconds: i, nested: { ok: true } },
        });
        const written: ModerationLogRecord[] = [];
        for (let i = 1; i <= 5; i++) {
          written.push(await ledger.appendModeration(entry(i)));
          await ledger.appendModeration(entry(i, 'other'));
        }
        assert.deepEqual(written[0], { ...entry(1), id: written[0]!.id });
        assert.ok(written.every((e, i) => i === 0 || e.id > written[i - 1]!.id), 'ids increase');
        const page1 = await ledger.moderationLog('r', undefined, 3);
        assert.deepEqual(page1.map((e) => e.targetUserId), ['u5', 'u4', 'u3']);
        const page2 = await ledger.moderationLog('r', page1.at(-1)!.id, 3);
        assert.deepEqual(page2.map((e) => e.targetUserId), ['u2', 'u1']);
        assert.deepEqual(await ledger.moderationLog('missing', undefined, 3), []);
      });

      it('counts hearts and occupancy samples per UTC minute, and reads messages and chatters per session', async () => {
        const ledger = await ledgerWith();
        const { message } = await ledger.appendChatMessage(append({ clientId: 'm1', now: T0 + 5_000 }));
        await ledger.appendChatMessage(append({ clientId: 'm2', now: T0 + 65_000, user: user('u2') }));
        await ledger.appendChatMessage(append({ clientId: 'm3', now: T0 + 70_000 }));
        await ledger.deleteMessage('r', message.id);
        const sessionId = message.sessionId;
        assert.equal(await ledger.addSessionLikes(sessionId, 3, T0 + 1_000), 3);
        assert.equal(await ledger.addSessionLikes(sessionId, 2, T0 + 59_999), 5);
        assert.equal(await ledger.addSessionLikes(sessionId, 4), 9, 'without a time: counted for the session only');
        await ledger.recordViewers(sessionId, T0 + 10_000, 4);
        await ledger.recordViewers(sessionId, T0 + 40_000, 6);
        await ledger.recordViewers(sessionId, T0 + 61_000, 2);
        const activity = await ledger.sessionActivity(sessionId);
        assert.deepEqual(activity.messagesByMinute, [
          { minute: T0, messages: 1 },
          { minute: T0 + 60_000, messages: 2 },
        ]);
        assert.deepEqual(activity.minutes, [
          { minute: T0, hearts: 5, viewersPeak: 6, viewersSum: 10, viewersSamples: 2 },
          { minute: T0 + 60_000, hearts: 0, viewersPeak: 2, viewersSum: 2, viewersSamples: 1 },
        ]);
        const chatters = [...activity.chatters].sort((a, b) => a.firstSeq - b.firstSeq);
        assert.deepEqual(
          chatters.map((c) => [c.user.id, c.messages, c.xp, c.coins, c.firstSeq]),
          [
            ['u1', 2, 2, 1, 1],
            ['u2', 1, 1, 1, 2],
          ],
          'a deleted message keeps what it earned',
        );
        // The room's next session starts in the middle of a group-commit batch: each session
        // reads its own messages, all of them.
        const [late, next] = await ledger.appendChatMessages([
          append({ clientId: 'm4', now: T0 + 80_000, user: user('u2') }),
          append({ clientId: 'm5', now: T0 + 130_000, user: user('u3'), needsNewSession: () => true }),
          append({ clientId: 'm6', now: T0 + 131_000 }),
        ]);
        assert.equal(late!.message.sessionId, sessionId);
        assert.notEqual(next!.message.sessionId, sessionId);
        const first = await ledger.sessionActivity(sessionId);
        assert.deepEqual(first.messagesByMinute, [
          { minute: T0, messages: 1 },
          { minute: T0 + 60_000, messages: 3 },
        ]);
        assert.deepEqual(
          [...first.chatters].sort((a, b) => a.firstSeq - b.firstSeq).map((c) => [c.user.id, c.messages]),
          [
            ['u1', 2],
            ['u2', 2],
          ],
        );
        const second = await ledger.sessionActivity(next!.message.sessionId);
        assert.deepEqual(second.messagesByMinute, [{ minute: T0 + 120_000, messages: 2 }]);
        assert.deepEqual(
          [...second.chatters].sort((a, b) => a.firstSeq - b.firstSeq).map((c) => [c.user.id, c.messages, c.firstSeq]),
          [
            ['u3', 1, 5],
            ['u1', 1, 6],
          ],
        );
        assert.deepEqual(await ledger.sessionActivity('missing'), { messagesByMinute: [], minutes: [], chatters: [] });
      });
    });

    describe('users and standings', () => {
      it('lists every user with an XP or coin event, sorted, once', async () => {
        const ledger = await ledgerWith();
        assert.deepEqual(await ledger.listUsers(), []);
        await ledger.appendChatMessage(append({ clientId: 'a', user: user('zoe') }));
        await ledger.appendChatMessage(append({ clientId: 'b', user: user('zoe') }));
        await ledger.appendXpEvents([xpEvent('e1', 'adam', 3)]);
        await ledger.appendChatMessage(append({ clientId: 'g', user: user('guest-1'), guest: true, decide: null }));
        assert.deepEqual(await ledger.listUsers(), ['adam', 'zoe']);
      });

      it('answers zeros for an unknown user', async () => {
        const ledger = await ledgerWith();
        assert.deepEqual(await ledger.userStanding('nobody', DAY), { userId: 'nobody', totalXp: 0, coinBalance: 0, dailyChatXp: 0, lastCoinAt: null });
        assert.deepEqual(await ledger.audit('nobody'), { userId: 'nobody', totalXp: 0, xpEventsSum: 0, coinBalance: 0, coinEventsSum: 0 });
      });
    });

    describe('group commit (appendChatMessages)', () => {
      /** What an append answered, without the ids the ledger makes up. */
      const outcome = (r: { message: { roomId: string; seq: number; clientId: string; user: UserRef; award: unknown }; duplicate: boolean; sessionStarted: unknown }) => ({
        roomId: r.message.roomId,
        seq: r.message.seq,
        clientId: r.message.clientId,
        userId: r.message.user.id,
        award: r.message.award === null ? null : { ...(r.message.award as object), sessionId: 'any' },
        duplicate: r.duplicate,
        started: r.sessionStarted !== null,
      });

      it('appends a batch exactly as one append after another: seqs, awards, a repeated clientId answered with its first', async () => {
        const batch = [
          append({ clientId: 'a' }),
          append({ clientId: 'b', user: user('u2') }),
          append({ clientId: 'a', now: T0 + 10 }),
          append({ clientId: 'c', roomId: 'other' }),
          append({ clientId: 'd', now: T0 + 20 }),
          append({ clientId: 'g', user: user('guest-1'), guest: true, decide: null }),
          append({ clientId: 'e', now: T0 + 300_000 }),
          append({ clientId: 'b', user: user('u2') }),
        ];
        const batched = await ledgerWith('other');
        const together = await batched.appendChatMessages(batch);
        const single = await ledgerWith('other');
        const oneByOne = [];
        for (const input of batch) oneByOne.push(await single.appendChatMessage(input));

        assert.deepEqual(together.map(outcome), oneByOne.map(outcome));
        assert.deepEqual(together.map((r) => `${r.message.roomId}#${r.message.seq}`), ['r#1', 'r#2', 'r#1', 'other#1', 'r#3', 'r#4', 'r#5', 'r#2']);
        assert.equal(together[2]!.message.id, together[0]!.message.id, 'the repeat answers the first');
        assert.equal(together[7]!.message.id, together[1]!.message.id);
        assert.deepEqual(together.map((r) => r.message.award?.coins ?? null), [1, 1, 1, 0, 0, null, 1, 1], 'the cooldown is per user, across rooms');
        assert.deepEqual((await batched.getMessage('r', together[4]!.message.id))!.award, together[4]!.message.award, 'as answered, so stored');
        assert.equal((await batched.getRoom('r'))!.lastSeq, 5);
        assert.equal((await batched.getRoom('other'))!.lastSeq, 1);
        assert.deepEqual(await batched.userStanding('u1', DAY), await single.userStanding('u1', DAY));
        assert.deepEqual(await batched.appendChatMessages([]), []);
      });

      it('stores every character a batch carries as given: quotes, backslashes, braces, commas, accents, emoji', async () => {
        const odd = 'a "quoted" \\back\\slash\\ {brace}, comma; \'single\' NULL é ñ 中文 😀👍🏽 \\u0000 \\"';
        const oddUser: UserRef = { id: 'u "1" \\ {x,y} 😀', name: 'Zoë "Z" \\ {}', avatarUrl: 'https://cdn.example/a"b\\c.png', badges: [] };
        const ledger = await ledgerWith();
        const first = await ledger.appendChatMessage(append({ clientId: 'odd-1', text: odd, user: oddUser }));
        const quote = { id: first.message.id, seq: 1, userId: oddUser.id, name: oddUser.name, text: odd };
        const answered = [
          first,
          ...(await ledger.appendChatMessages([
            append({ clientId: 'odd-2', text: `${odd} again`, user: oddUser, replyTo: quote }),
            append({ clientId: 'odd-3', text: 'NULL', user: user('u2') }),
          ])),
        ];
        const stored = await ledger.messagesBefore('r', undefined, 10);
        assert.deepEqual(
          stored.map((m) => [m.text, m.user, m.replyTo?.text ?? null]),
          [
            [odd, oddUser, null],
            [`${odd} again`, oddUser, odd],
            ['NULL', user('u2'), null],
          ],
        );
        assert.deepEqual(stored, answered.map((r) => r.message));
        const standing = await ledger.userStanding(oddUser.id, DAY);
        assert.equal(standing.totalXp, 2);
        const [score] = (await ledger.sessionScores(answered[0]!.message.sessionId)).filter((s) => s.userId === oddUser.id);
        assert.deepEqual([score!.name, score!.avatarUrl, score!.messages], [oddUser.name, oddUser.avatarUrl, 2]);
      });

      it('starts a session in the middle of a batch when the rule says so, and counts per session from there', async () => {
        // The room's chat window reopens at T0 + 1000: the session rule replaces the session of
        // a message sent after that (the first of the batch started the old one).
        const reopened = T0 + 1000;
        const batch = [
          append({ clientId: 'old-1' }),
          append({ clientId: 'old-2', user: user('u2') }),
          append({ clientId: 'new-1', now: reopened + 1, needsNewSession: windowRule(reopened, reopened + 1) }),
          append({ clientId: 'new-2', user: user('u2'), now: reopened + 2, needsNewSession: windowRule(reopened, reopened + 2) }),
          append({ clientId: 'old-1', now: reopened + 3, needsNewSession: windowRule(reopened, reopened + 3) }),
          append({ clientId: 'new-3', now: reopened + 4, needsNewSession: windowRule(reopened, reopened + 4) }),
        ];
        const batched = await ledgerWith();
        const together = await batched.appendChatMessages(batch);
        const single = await ledgerWith();
        const oneByOne = [];
        for (const input of batch) oneByOne.push(await single.appendChatMessage(input));

        assert.deepEqual(together.map(outcome), oneByOne.map(outcome));
        assert.deepEqual(together.map((r) => r.sessionStarted !== null), [true, false, true, false, false, false]);
        const [first, second] = [together[0]!.message.sessionId, together[2]!.message.sessionId];
        assert.notEqual(first, second);
        assert.deepEqual(together.map((r) => r.message.sessionId), [first, first, second, second, first, second], 'the repeat answers its first');
        assert.deepEqual(together.map((r) => r.message.award!.sessionMessages), [1, 1, 1, 1, 1, 2]);
        assert.deepEqual(
          (await batched.sessionScores(second)).map((s) => [s.userId, s.messages, s.lastSeq]),
          (await single.sessionScores((await single.latestSession('r'))!.id)).map((s) => [s.userId, s.messages, s.lastSeq]),
        );
        assert.equal((await batched.latestSession('r'))!.id, second);
        assert.notEqual((await batched.getSession(first))!.endedAt, null, 'the old session ended');
      });

      it('is all or nothing: one failing append writes nothing of its batch and burns no seq', async () => {
        const ledger = await ledgerWith();
        await ledger.appendChatMessage(append({ clientId: 'before' }));
        const failing = [
          append({ clientId: 'x1', now: T0 + 300_000 }),
          append({ clientId: 'x2', user: user('u2') }),
          append({ clientId: 'x3', decide: () => { throw new Error('rule failed'); } }),
        ];
        await assert.rejects(ledger.appendChatMessages(failing), /rule failed/);
        await assert.rejects(ledger.appendChatMessages([append({ clientId: 'y1' }), append({ clientId: 'y2', roomId: 'missing' })]));
        assert.equal((await ledger.getRoom('r'))!.lastSeq, 1);
        assert.equal((await ledger.messagesAfter('r', 0, 10)).length, 1);
        assert.deepEqual(await ledger.listUsers(), ['u1'], 'no events of u2');
        assert.deepEqual(await ledger.userStanding('u1', DAY), { userId: 'u1', totalXp: 1, coinBalance: 1, dailyChatXp: 1, lastCoinAt: T0 });

        const again = await ledger.appendChatMessages(failing.slice(0, 2));
        assert.deepEqual(again.map((r) => [r.message.seq, r.duplicate, r.message.award!.coins]), [[2, false, 1], [3, false, 1]]);
      });

      it('keeps awards exact across concurrent batches and single appends of one user', async () => {
        const ledger = await ledgerWith();
        const results = (
          await Promise.all([
            ...range(10).map((b) => ledger.appendChatMessages(range(15).map((i) => append({ clientId: `b${b}-${i}` })))),
            ...range(50).map((i) => ledger.appendChatMessage(append({ clientId: `s${i}` })).then((r) => [r])),
          ])
        ).flat();
        const awards = results.map((r) => r.message.award!);
        assert.equal(awards.reduce((s, a) => s + a.xp, 0), 50, 'the daily cap, exactly');
        assert.equal(awards.reduce((s, a) => s + a.coins, 0), 1, 'one coin per cooldown');
        assert.deepEqual(
          [...results].sort((x, y) => x.message.seq - y.message.seq).map((r) => r.message.seq),
          range(200).map((i) => i + 1),
        );
      });
    });

    describe('running counters', () => {
      it('equal what the stored messages and events say, after concurrent appends', async () => {
        const ledger = await ledgerWith('other');
        const nextDay = Date.parse('2030-01-16T00:00:30.000Z');
        const users = ['ann', 'bob', 'cy'];
        const wave = (prefix: string, at: number) =>
          Promise.all([
            ...range(60).map((i) =>
              ledger.appendChatMessage(
                append({ clientId: `${prefix}s${i}`, roomId: i % 3 === 0 ? 'other' : 'r', user: user(users[i % 3]!), now: at + i * 7_000 }),
              ),
            ),
            ...range(6).map((b) =>
              ledger.appendChatMessages(
                range(10).map((i) => append({ clientId: `${prefix}b${b}-${i % 8}`, user: user(users[b % 3]!), now: at + b * 61_000 + i })),
              ),
            ),
            ledger.appendChatMessage(append({ clientId: `${prefix}g`, user: user('guest-1'), guest: true, decide: null, now: at })),
          ]);
        await wave('one-', T0);
        await ledger.endSession('r', T0 + 600_000);
        await wave('two-', nextDay);
        await ledger.appendChatMessage(append({ clientId: 'renamed', user: { ...user('ann'), name: 'Ann B.' }, now: nextDay + 600_000 }));

        const stored = [...(await ledger.messagesAfter('r', 0, 10_000)), ...(await ledger.messagesAfter('other', 0, 10_000))];
        assert.equal(stored.length, 2 * (60 + 6 * 8 + 1) + 1, 'a repeated clientId is stored once');
        for (const userId of users) {
          const mine = stored.filter((m) => m.user.id === userId);
          for (const day of [DAY, utcDay(nextDay)]) {
            const standing = await ledger.userStanding(userId, day);
            const xp = mine.filter((m) => utcDay(m.createdAt) === day).reduce((s, m) => s + m.award!.xp, 0);
            assert.equal(standing.dailyChatXp, xp, `${userId} ${day}: daily chat XP = Σ awards`);
          }
          const coinTimes = mine.filter((m) => m.award!.coins > 0).map((m) => m.createdAt);
          assert.equal((await ledger.userStanding(userId, DAY)).lastCoinAt, Math.max(...coinTimes), `${userId}: last coin time`);
        }
        const sessions = [...new Set(stored.map((m) => m.sessionId))];
        assert.equal(sessions.length, 3, 'r before and after the end, other');
        for (const sessionId of sessions) {
          const inSession = stored.filter((m) => m.sessionId === sessionId && !m.guest).sort((a, b) => a.seq - b.seq);
          const expected = users
            .map((userId) => inSession.filter((m) => m.user.id === userId))
            .filter((mine) => mine.length > 0)
            .map((mine) => {
              // Each snapshot counts the user's messages and coins so far in the session.
              mine.forEach((m, i) => {
                assert.equal(m.award!.sessionMessages, i + 1);
                assert.equal(m.award!.sessionCoins, mine.slice(0, i + 1).reduce((s, x) => s + x.award!.coins, 0));
              });
              const last = mine[mine.length - 1]!;
              return { userId: last.user.id, name: last.user.name, avatarUrl: null, coins: last.award!.sessionCoins, messages: mine.length, lastSeq: last.seq };
            });
          const scores = [...(await ledger.sessionScores(sessionId))].sort((a, b) => a.userId.localeCompare(b.userId));
          assert.deepEqual(scores, expected, `session ${sessionId}`);
        }
        assert.ok(
          (await ledger.sessionScores(stored.find((m) => m.clientId === 'renamed')!.sessionId)).some((s) => s.name === 'Ann B.'),
          'the name of the newest message',
        );
      });
    });
  });
}
