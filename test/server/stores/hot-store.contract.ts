/**
 * The hot-store contract: every `HotStore` implementation (memory now, Redis later) must pass
 * this suite. Run it with `hotStoreContract('redis', async () => createRedisHotStore(url))`.
 *
 * Each test gets a fresh store from `makeStore` and closes it afterwards; stores must not
 * read the system clock (every time is passed in), which the tests rely on.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Message, UserRef } from 'live-chat-protocol';
import type { HotStore, ScoreEntry } from '../../../server/stores/hot-store.ts';

const T0 = Date.parse('2030-01-15T12:00:00.000Z');

const user = (id: string): UserRef => ({ id, name: id.toUpperCase(), avatarUrl: null, badges: [] });
const score = (userId: string, coins: number, messages: number, lastSeq: number): ScoreEntry => ({
  userId,
  name: userId,
  avatarUrl: null,
  coins,
  messages,
  lastSeq,
});
const message = (seq: number, roomId = 'r1'): Message => ({
  id: `m${seq}`,
  seq,
  roomId,
  clientId: `client-${seq}`,
  user: user('u1'),
  text: `text ${seq}`,
  createdAt: new Date(T0 + seq).toISOString(),
  likes: 0,
  reward: null,
});

export function hotStoreContract(name: string, makeStore: () => Promise<HotStore> | HotStore): void {
  describe(`HotStore contract: ${name}`, () => {
    let open: HotStore[] = [];
    const store = async () => {
      const s = await makeStore();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.map((s) => s.close()));
      open = [];
    });

    it('answers ping', async () => {
      await (await store()).ping();
    });

    describe('rate windows', () => {
      it('allows `limit` hits per sliding window, then answers when the oldest expires', async () => {
        const s = await store();
        const check = [{ key: 'k', limit: 3, windowMs: 60_000 }];
        assert.deepEqual(await s.takeRate(check, T0), { allowed: true });
        assert.deepEqual(await s.takeRate(check, T0 + 10_000), { allowed: true });
        assert.deepEqual(await s.takeRate(check, T0 + 20_000), { allowed: true });
        assert.deepEqual(await s.takeRate(check, T0 + 30_000), { allowed: false, index: 0, retryAfterMs: 30_000 });
        assert.deepEqual(await s.takeRate(check, T0 + 60_000), { allowed: true }, 'the first hit has expired');
        assert.deepEqual(await s.takeRate(check, T0 + 60_001), { allowed: false, index: 0, retryAfterMs: 9_999 });
      });

      it('is all or nothing over several checks, and reports the first refusing one', async () => {
        const s = await store();
        const a = { key: 'a', limit: 5, windowMs: 1000 };
        const b = { key: 'b', limit: 1, windowMs: 1000 };
        assert.deepEqual(await s.takeRate([a, b], T0), { allowed: true });
        const refused = await s.takeRate([a, b], T0 + 1);
        assert.equal(refused.allowed, false);
        assert.equal(refused.allowed === false && refused.index, 1);
        // `a` recorded nothing for the refused call: 4 more fit.
        for (let i = 0; i < 4; i++) assert.equal((await s.takeRate([a], T0 + 2)).allowed, true);
        assert.equal((await s.takeRate([a], T0 + 2)).allowed, false);
      });

      it('counts weights and keeps keys apart', async () => {
        const s = await store();
        assert.equal((await s.takeRate([{ key: 'w', limit: 10, windowMs: 1000, weight: 7 }], T0)).allowed, true);
        const over = await s.takeRate([{ key: 'w', limit: 10, windowMs: 1000, weight: 4 }], T0 + 1);
        assert.deepEqual(over, { allowed: false, index: 0, retryAfterMs: 999 });
        assert.equal((await s.takeRate([{ key: 'w', limit: 10, windowMs: 1000, weight: 3 }], T0 + 1)).allowed, true);
        assert.equal((await s.takeRate([{ key: 'other', limit: 1, windowMs: 1000 }], T0 + 1)).allowed, true);
        const never = await s.takeRate([{ key: 'big', limit: 2, windowMs: 1000, weight: 3 }], T0);
        assert.equal(never.allowed, false);
        assert.ok(never.allowed === false && Number.isFinite(never.retryAfterMs));
      });
    });

    describe('session leaderboards', () => {
      it('answers null until loaded, then ranks coins, messages, who got there first', async () => {
        const s = await store();
        assert.equal(await s.topScores('s1', 10), null);
        await s.loadLeaderboard('s1', [score('a', 2, 5, 10), score('b', 3, 1, 11), score('c', 2, 5, 7), score('d', 2, 6, 12)]);
        const top = await s.topScores('s1', 10);
        assert.deepEqual(
          top?.map((e) => e.userId),
          ['b', 'd', 'c', 'a'],
        );
        assert.deepEqual(
          (await s.topScores('s1', 2))?.map((e) => e.userId),
          ['b', 'd'],
        );
        assert.deepEqual(await s.topScores('s2', 10), null);
        await s.loadLeaderboard('s2', []);
        assert.deepEqual(await s.topScores('s2', 10), []);
      });

      it('merges by lastSeq: a late, older write never regresses a score', async () => {
        const s = await store();
        await s.upsertScore('s1', score('a', 1, 1, 5));
        assert.equal(await s.topScores('s1', 10), null, 'an upsert does not make a board complete');
        await s.loadLeaderboard('s1', [score('a', 0, 0, 3), score('b', 1, 1, 4)]);
        await s.upsertScore('s1', score('b', 1, 2, 9));
        await s.upsertScore('s1', score('b', 1, 1, 6));
        const top = await s.topScores('s1', 10);
        assert.deepEqual(top, [score('b', 1, 2, 9), score('a', 1, 1, 5)]);
      });

      it('hands out copies', async () => {
        const s = await store();
        await s.loadLeaderboard('s1', [score('a', 1, 1, 1)]);
        const top = (await s.topScores('s1', 10))!;
        top[0]!.coins = 99;
        assert.equal((await s.topScores('s1', 10))![0]!.coins, 1);
      });
    });

    it('tracks presence per user with first/last socket and occupancy', async () => {
      const s = await store();
      assert.deepEqual(await s.addPresence('r', user('a'), 's1'), { first: true });
      assert.deepEqual(await s.addPresence('r', user('a'), 's2'), { first: false });
      assert.deepEqual(await s.addPresence('r', user('b'), 's3'), { first: true });
      assert.deepEqual(await s.addPresence('r2', user('a'), 's1'), { first: true });
      assert.equal(await s.occupancy('r'), 2);
      assert.deepEqual(await s.removePresence('r', 'a', 's1'), { last: false });
      assert.deepEqual(await s.removePresence('r', 'a', 's1'), { last: false }, 'removing twice is harmless');
      assert.deepEqual(await s.removePresence('r', 'a', 's2'), { last: true });
      assert.equal(await s.occupancy('r'), 1);
      assert.deepEqual(await s.removePresence('r', 'zz', 's9'), { last: false });
      assert.equal(await s.occupancy('empty'), 0);
    });

    it('syncs its presence to the sockets it is given, answering who arrived and who went', async () => {
      const s = await store();
      await s.addPresence('r', user('a'), 's1');
      await s.addPresence('r', user('a'), 's2');
      await s.addPresence('r', user('b'), 's3');
      await s.addPresence('r2', user('c'), 's4');
      const changes = await s.syncPresence([
        { roomId: 'r', user: user('a'), socketId: 's2' },
        { roomId: 'r', user: user('d'), socketId: 's5' },
        { roomId: 'r', user: user('d'), socketId: 's6' },
      ]);
      const ids = (list: { roomId: string; user: UserRef; socketId: string }[]) =>
        list.map((e) => `${e.roomId}/${e.user.id}/${e.socketId}`).sort();
      assert.deepEqual(ids(changes.joined), ['r/d/s5'], "d's first socket only; a was there");
      assert.deepEqual(ids(changes.left), ['r/b/s3', 'r2/c/s4'], "a kept s2, so a did not leave");
      assert.deepEqual(changes.left.find((e) => e.user.id === 'b')?.user, user('b'), 'the user as they were added');
      assert.equal(await s.occupancy('r'), 2);
      assert.equal(await s.occupancy('r2'), 0);
      assert.deepEqual(await s.removePresence('r', 'a', 's1'), { last: false }, 's1 was synced away already');
      assert.deepEqual(await s.removePresence('r', 'd', 's5'), { last: false });
      assert.deepEqual(await s.removePresence('r', 'd', 's6'), { last: true });
      assert.deepEqual(await s.syncPresence([]), { joined: [], left: [{ roomId: 'r', user: user('a'), socketId: 's2' }] });
      assert.equal(await s.occupancy('r'), 0);
    });

    it('answers a heartbeat for a lone instance with nothing reaped', async () => {
      const s = await store();
      await s.addPresence('r', user('a'), 's1');
      await s.heartbeat(T0, 30_000);
      const later = await s.heartbeat(T0 + 120_000, 30_000);
      assert.deepEqual(later, { known: true, left: [] }, 'an instance never reaps itself');
      assert.equal(await s.occupancy('r'), 1);
    });

    it('lists typing users until they expire or stop', async () => {
      const s = await store();
      await s.setTyping('r', user('a'), T0 + 5000);
      await s.setTyping('r', user('b'), T0 + 3000);
      assert.deepEqual(
        (await s.typingUsers('r', T0)).map((u) => u.id),
        ['a', 'b'],
      );
      assert.deepEqual(
        (await s.typingUsers('r', T0 + 3000)).map((u) => u.id),
        ['a'],
      );
      await s.setTyping('r', user('a'), T0 + 9000);
      await s.clearTyping('r', 'a');
      assert.deepEqual(await s.typingUsers('r', T0 + 3000), []);
      assert.deepEqual(await s.typingUsers('nowhere', T0), []);
    });

    describe('recent-message window', () => {
      it('keeps messages sorted by seq, the newest `max`, replacing a seq pushed again', async () => {
        const s = await store();
        await s.pushRecent('r1', [message(3), message(1)], 4);
        await s.pushRecent('r1', [message(2)], 4);
        await s.pushRecent('r1', [{ ...message(2), text: 'again' }], 4);
        assert.deepEqual(
          (await s.recentSince('r1', 0)).map((m) => [m.seq, m.text]),
          [
            [1, 'text 1'],
            [2, 'again'],
            [3, 'text 3'],
          ],
        );
        await s.pushRecent('r1', [message(4), message(5), message(6)], 4);
        assert.deepEqual(
          (await s.recentSince('r1', 0)).map((m) => m.seq),
          [3, 4, 5, 6],
        );
        assert.deepEqual(
          (await s.recentSince('r1', 4)).map((m) => m.seq),
          [5, 6],
        );
        assert.deepEqual(await s.recentSince('r2', 0), []);
      });

      it('patches a held message and ignores unknown ones', async () => {
        const s = await store();
        await s.pushRecent('r1', [message(1), message(2)], 10);
        await s.patchRecent('r1', 'm2', { likes: 3 });
        await s.patchRecent('r1', 'm2', { text: '', deleted: true });
        await s.patchRecent('r1', 'nope', { likes: 9 });
        const [m1, m2] = await s.recentSince('r1', 0);
        assert.equal(m1!.likes, 0);
        assert.deepEqual([m2!.likes, m2!.text, m2!.deleted], [3, '', true]);
      });

      it('removes a field patched to undefined, and can set it again', async () => {
        const s = await store();
        await s.pushRecent('r1', [{ ...message(1), reactions: { '🎉': 1 } }], 10);
        await s.patchRecent('r1', 'm1', { reactions: undefined, likes: 2 });
        const [gone] = await s.recentSince('r1', 0);
        assert.equal('reactions' in gone!, false, 'no reactions key left');
        assert.equal(gone!.likes, 2);
        await s.patchRecent('r1', 'm1', { reactions: { '👍': 1 } });
        assert.deepEqual((await s.recentSince('r1', 0))[0]!.reactions, { '👍': 1 });
      });

      it('hands out messages that changing cannot change the window (copies, or frozen)', async () => {
        const s = await store();
        await s.pushRecent('r1', [message(1)], 10);
        const [m] = await s.recentSince('r1', 0);
        try {
          m!.text = 'changed';
          m!.user.name = 'changed';
        } catch (err) {
          assert.ok(err instanceof TypeError, 'a frozen message refuses the change');
        }
        const [again] = await s.recentSince('r1', 0);
        assert.deepEqual([again!.text, again!.user.name], ['text 1', message(1).user.name]);
      });
    });
  });
}
