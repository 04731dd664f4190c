/**
 * The SQLite ledger on real files: the ledger contract, then what only a file can show
 * (reopening it keeps everything).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decideAward, needsNewSession } from 'live-chat-protocol';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
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
});
