/** The SQLite ledger on a real file: sessions, idempotent appends, event namespaces, durability. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { AppendChatMessageInput, Ledger } from '../../../server/stores/ledger.ts';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { tempDir } from '../helpers.ts';

const T0 = Date.parse('2030-01-15T12:00:00.000Z');
const user = { id: 'u1', name: 'U1', avatarUrl: null, badges: [] };

describe('SQLite ledger', () => {
  const dirs: string[] = [];
  const ledgers: Ledger[] = [];
  const open = async (dir = tempDir()) => {
    dirs.push(dir);
    const ledger = createLedger(openDatabase(dir));
    ledgers.push(ledger);
    await ledger.createRoom({ id: 'r', title: 'R', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 });
    return { ledger, dir };
  };
  after(async () => {
    for (const l of ledgers) await l.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const input = (clientId: string, now = T0): AppendChatMessageInput => ({
    roomId: 'r',
    user,
    guest: false,
    clientId,
    text: 'hi',
    now,
    day: new Date(now).toISOString().slice(0, 10),
    opensAt: null,
    decide: ({ dailyChatXp }) => ({ xp: dailyChatXp < 2 ? 1 : 0, coins: 1, coinReason: 'chat_message' }),
  });

  it('stores a message once per (room, user, clientId) and awards once', async () => {
    const { ledger } = await open();
    const first = await ledger.appendChatMessage(input('client-a'));
    const again = await ledger.appendChatMessage(input('client-a'));
    assert.equal(first.duplicate, false);
    assert.ok(first.sessionStarted, 'the first message starts a session');
    assert.equal(again.duplicate, true);
    assert.equal(again.message.id, first.message.id);
    assert.deepEqual(await ledger.audit('u1'), { userId: 'u1', totalXp: 1, xpEventsSum: 1, coinBalance: 1, coinEventsSum: 1 });
  });

  it('reads the daily XP and last coin the award rule sees inside the transaction', async () => {
    const { ledger } = await open();
    const seen: number[] = [];
    for (const id of ['a1', 'a2', 'a3']) {
      await ledger.appendChatMessage({
        ...input(id),
        decide: (s) => {
          seen.push(s.dailyChatXp);
          return { xp: 1, coins: s.lastCoinAt === null ? 1 : 0, coinReason: null };
        },
      });
    }
    assert.deepEqual(seen, [0, 1, 2]);
    const standing = await ledger.userStanding('u1', '2030-01-15');
    assert.deepEqual(standing, { userId: 'u1', totalXp: 3, coinBalance: 1, dailyChatXp: 3, lastCoinAt: T0 });
  });

  it('rolls the whole message back when the award rule throws', async () => {
    const { ledger } = await open();
    await assert.rejects(ledger.appendChatMessage({ ...input('boom'), decide: () => { throw new Error('rule failed'); } }));
    assert.equal(await ledger.findMessageByClientId('r', 'u1', 'boom'), null);
    assert.equal((await ledger.getRoom('r'))!.lastSeq, 0);
    const next = await ledger.appendChatMessage(input('after'));
    assert.equal(next.message.seq, 1, 'no seq was burnt');
  });

  it('keeps outside XP ids apart from chat award ids', async () => {
    const { ledger } = await open();
    const m = await ledger.appendChatMessage(input('c1'));
    const chatId = `chat:${m.message.id}`;
    const answer = await ledger.appendXpEvents([
      { id: chatId, userId: 'u1', kind: 'bonus', delta: 10, roomId: null, metadata: null, now: T0, day: '2030-01-15' },
      { id: chatId, userId: 'u1', kind: 'bonus', delta: 10, roomId: null, metadata: null, now: T0, day: '2030-01-15' },
    ]);
    assert.deepEqual(answer, { acceptedIds: [chatId], duplicateIds: [chatId] });
    const audit = await ledger.audit('u1');
    assert.deepEqual([audit.totalXp, audit.xpEventsSum], [11, 11]);
    assert.equal((await ledger.userStanding('u1', '2030-01-15')).dailyChatXp, 1, 'outside XP is not chat XP');
  });

  it('starts a new session when the window opens after the current one started', async () => {
    const { ledger } = await open();
    const early = await ledger.ensureSession('r', T0, null);
    assert.equal(early.started, true);
    assert.equal((await ledger.ensureSession('r', T0 + 1, null)).started, false);
    const opened = await ledger.ensureSession('r', T0 + 10, T0 + 5);
    assert.equal(opened.started, true);
    assert.notEqual(opened.session.id, early.session.id);
    assert.equal((await ledger.getSession(early.session.id))!.endedAt, T0 + 10);
    assert.equal((await ledger.ensureSession('r', T0 + 20, T0 + 5)).started, false);
    await ledger.endSession('r', T0 + 30);
    assert.equal((await ledger.ensureSession('r', T0 + 40, null)).started, true, 'after an end, a new session');
  });

  it('reopens the same file with everything in it', async () => {
    const { ledger, dir } = await open();
    await ledger.appendChatMessage(input('persist'));
    await ledger.close();
    const reopened = createLedger(openDatabase(dir));
    ledgers.push(reopened);
    assert.equal((await reopened.messagesAfter('r', 0, 10)).length, 1);
    assert.equal((await reopened.audit('u1')).totalXp, 1);
  });
});
