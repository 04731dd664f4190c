/**
 * The SQLite ledger's running counters (migration 2) on a database with history: the counters
 * the migration fills from the stored messages and events are the ones the ledger keeps while
 * appending, and the appends after the migration go on from them (cap, cooldown, session
 * counts).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { decideAward, needsNewSession, utcDay, type UserRef } from 'live-chat-protocol';
import type { AppendChatMessageInput, Ledger } from '../../../server/stores/ledger.ts';
import { backfillCounters } from '../../../server/stores/sqlite/counters.ts';
import { MIGRATIONS, migrate } from '../../../server/stores/sqlite/migrations.ts';
import { createLedger, openDatabase } from '../../../server/stores/sqlite-ledger.ts';
import { tempDir } from '../helpers.ts';

const T0 = Date.parse('2030-01-15T12:00:00.000Z');
const NEXT_DAY = Date.parse('2030-01-16T00:00:10.000Z');
const rules = { xpPerMessage: 3, dailyXpCap: 100, coinsPerMessage: 1, coinCooldownSeconds: 60 };
const user = (id: string, name = id.toUpperCase()): UserRef => ({ id, name, avatarUrl: null, badges: [] });

function append(roomId: string, who: UserRef, clientId: string, now: number, guest = false): AppendChatMessageInput {
  return {
    roomId,
    user: who,
    guest,
    clientId,
    text: `text ${clientId}`,
    now,
    day: utcDay(now),
    needsNewSession: (latest) => needsNewSession(latest, null, now),
    decide: guest ? null : (state) => decideAward(rules, state),
  };
}

/** The first schema's columns per table: what a server before migration 2 wrote. */
const FIRST_SCHEMA_COLUMNS: Record<string, string> = {
  rooms: 'id, title, private, opens_at, closes_at, slow_mode_seconds, created_at, last_seq',
  sessions: 'id, room_id, started_at, ended_at, likes',
  messages:
    'id, room_id, seq, session_id, client_id, user_id, user_json, guest, text, created_at, likes, deleted, reward_xp, reward_coins, award_json',
  xp_events: 'id, user_id, kind, source, delta, room_id, session_id, day, created_at, metadata',
  xp_totals: 'user_id, total_xp',
  coin_events: 'id, user_id, kind, source, delta, room_id, session_id, created_at',
  coin_balances: 'user_id, balance',
};

/** Every counter, in a stable order. */
function countersOf(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      sessions: db.prepare('SELECT * FROM session_user_counters ORDER BY session_id, user_id').all(),
      days: db.prepare('SELECT * FROM user_day_chat_xp ORDER BY user_id, day').all(),
      coins: db.prepare('SELECT user_id, balance, last_chat_coin_at FROM coin_balances ORDER BY user_id').all(),
    };
  } finally {
    db.close();
  }
}

/** A history: 3 users and a guest, 2 rooms, a session ended and a new one, 2 UTC days, repeated clientIds, a renamed user. */
async function writeHistory(ledger: Ledger): Promise<void> {
  for (const id of ['r', 'other']) {
    await ledger.createRoom({ id, title: id, private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: T0 });
  }
  const people = [user('ann'), user('bob'), user('cy')];
  for (let i = 0; i < 120; i++) {
    await ledger.appendChatMessage(append(i % 4 === 0 ? 'other' : 'r', people[i % 3]!, `m${i % 110}`, T0 + i * 20_000));
  }
  await ledger.appendChatMessage(append('r', user('guest-1'), 'g1', T0, true));
  await ledger.endSession('r', T0 + 3_000_000);
  await ledger.appendChatMessages(people.map((p, i) => append('r', p, `d${i}`, NEXT_DAY + i)));
  await ledger.appendChatMessage(append('r', user('ann', 'Ann Renamed'), 'renamed', NEXT_DAY + 100_000));
}

describe('SQLite running counters (migration 2)', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('fills the counters of a database with history as the appends kept them, and goes on from them', async () => {
    // The history as the ledger writes it today, counters kept while appending.
    const liveDir = dir();
    const live = createLedger(openDatabase(liveDir));
    await writeHistory(live);
    await live.close();
    const liveFile = path.join(liveDir, 'live-chat.db');

    // The same rows in a database at schema version 1, where no counter exists.
    const oldDir = dir();
    const old = openDatabase(oldDir);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare('ATTACH DATABASE ? AS src').run(liveFile);
    for (const [table, columns] of Object.entries(FIRST_SCHEMA_COLUMNS)) {
      old.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM src.${table}`);
    }
    old.exec('DETACH DATABASE src');
    old.close();

    const migrated = createLedger(openDatabase(oldDir));
    await migrated.close();
    const expected = countersOf(liveFile);
    assert.ok(expected.sessions.length >= 7 && expected.days.length === 6, 'the history spans sessions, rooms and days');
    assert.deepEqual(countersOf(path.join(oldDir, 'live-chat.db')), expected);

    // After the migration, both go on the same way: cap, cooldown and session counts.
    const next = [append('r', user('ann'), 'after-1', NEXT_DAY + 100_001), append('other', user('bob'), 'after-2', T0 + 3_000_001)];
    const answers = [];
    for (const d of [liveDir, oldDir]) {
      const ledger = createLedger(openDatabase(d));
      answers.push((await ledger.appendChatMessages(next)).map((r) => r.message.award));
      assert.deepEqual((await ledger.audit('ann')).totalXp, (await ledger.audit('ann')).xpEventsSum);
      await ledger.close();
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.equal(answers[0]![0]!.coins, 0, "ann's cooldown from her last message carries over");
    assert.ok(answers[0]![1]!.sessionMessages > 1, "bob's session count carries over");
  });

  it('rebuilds from the rows to exactly what the appends kept', async () => {
    const d = dir();
    const ledger = createLedger(openDatabase(d));
    await writeHistory(ledger);
    await ledger.close();
    const file = path.join(d, 'live-chat.db');
    const kept = countersOf(file);
    const db = openDatabase(d);
    db.transaction(() => backfillCounters(db))();
    db.close();
    assert.deepEqual(countersOf(file), kept);
  });
});
