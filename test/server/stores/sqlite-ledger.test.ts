/**
 * The SQLite ledger on real files: the ledger contract, then what only a file can show
 * (reopening it keeps everything).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { decideAward, needsNewSession } from 'live-chat-protocol';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { toRoom, toSession, type RoomRow, type SessionRow } from '../../../server/stores/rows.ts';
import type { AppendChatMessageInput } from '../../../server/stores/ledger.ts';
import { tempDir } from '../helpers.ts';
import { ledgerContract } from './ledger.contract.ts';

ledgerContract('sqlite', async () => {
  const dir = tempDir();
  const ledger = createLedger(openDatabase(dir));
  return {
    ledger,
    async cleanup() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite ledger file', () => {
  const T0 = Date.parse('2030-01-15T12:00:00.000Z');
  const rules = { xpPerMessage: 1, dailyXpCap: 50, coinsPerMessage: 1, coinCooldownSeconds: 300 };

  it('reopens the same file with everything in it', async () => {
    const dir = tempDir();
    try {
      const ledger = createLedger(openDatabase(dir));
      await ledger.createRoom({ id: 'r', title: 'R', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 });
      await ledger.appendChatMessage({
        roomId: 'r',
        user: { id: 'u1', name: 'U1', avatarUrl: null, badges: [] },
        guest: false,
        clientId: 'persist',
        text: 'hi',
        now: T0,
        day: '2030-01-15',
        needsNewSession: (latest) => needsNewSession(latest, null, T0),
        decide: (state) => decideAward(rules, state),
      });
      await ledger.close();
      const reopened = createLedger(openDatabase(dir));
      assert.equal((await reopened.messagesAfter('r', 0, 10)).length, 1);
      assert.equal((await reopened.audit('u1')).totalXp, 1);
      assert.equal((await reopened.getRoom('r'))!.lastSeq, 1);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers rooms and newest sessions as committed after every kind of write, its own or another connection’s (its read cache)', async () => {
    const dir = tempDir();
    const ledger = createLedger(openDatabase(dir));
    const other = new Database(join(dir, 'live-chat.db'), { readonly: true });
    try {
      const committedRoom = (id: string) => {
        const row = other.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?').get(id);
        return row ? toRoom(row) : null;
      };
      const committedSession = (id: string) => {
        const row = other.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE room_id = ? ORDER BY rowid DESC LIMIT 1').get(id);
        return row ? toSession(row) : null;
      };
      const agrees = async (what: string) => {
        for (const id of ['r', 's']) {
          assert.deepEqual(await ledger.getRoom(id), committedRoom(id), `${what}: room ${id}`);
          assert.deepEqual(await ledger.latestSession(id), committedSession(id), `${what}: session of ${id}`);
        }
      };
      const message = (roomId: string, clientId: string, now = T0): AppendChatMessageInput => ({
        roomId,
        user: { id: 'u1', name: 'U1', avatarUrl: null, badges: [] },
        guest: false,
        clientId,
        text: 'hi',
        now,
        day: '2030-01-15',
        needsNewSession: (latest) => needsNewSession(latest, null, now),
        decide: (state) => decideAward(rules, state),
      });
      await agrees('nothing yet');
      await ledger.createRoom({ id: 'r', title: 'R', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 });
      await agrees('a room created');
      await ledger.createRoom({ id: 's', title: 'S', private: true, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 });
      await agrees('another');
      await ledger.appendChatMessage(message('r', 'first-msg'));
      await agrees('a message that started a session');
      await ledger.appendChatMessages([message('r', 'second-m'), message('s', 'third-msg'), message('r', 'fourth-m')]);
      await agrees('a batch over two rooms');
      await ledger.updateRoom('r', { title: 'R2', slowModeSeconds: 5 });
      await agrees('a room update');
      await ledger.addSessionLikes((await ledger.latestSession('r'))!.id, 3, T0);
      await agrees('hearts');
      await ledger.endSession('r', T0 + 1000);
      await agrees('a session ended');
      await ledger.startSession('r', T0 + 2000);
      await agrees('a session started');
      await ledger.ensureSession('s', T0 + 3000, () => true);
      await agrees('a session ensured');
      // A batch whose transaction fails stores nothing: the cached rows stay the committed ones.
      await assert.rejects(ledger.appendChatMessages([message('r', 'fifth-mm'), message('nowhere', 'sixth-mm')]));
      await agrees('a failed batch');
      assert.equal((await ledger.getRoom('r'))!.lastSeq, 3);
      const room = (await ledger.getRoom('r'))!;
      assert.throws(() => Object.assign(room, { title: 'changed' }), TypeError, 'a shared record is frozen');

      // Another server process on the same file: its commits are noticed (PRAGMA data_version).
      const second = createLedger(openDatabase(dir));
      try {
        await second.appendChatMessage(message('r', 'from-second'));
        await agrees('a message through another connection');
        await second.endSession('s', T0 + 4000);
        await agrees('a session ended through another connection');
        await second.updateRoom('s', { title: 'S2' });
        await agrees('a room updated through another connection');
      } finally {
        await second.close();
      }
    } finally {
      other.close();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
