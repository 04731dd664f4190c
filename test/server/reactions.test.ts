/**
 * Reactions over real sockets (issue 10): `message:react` toggles one of `REACTIONS` per user
 * per message; the ack carries the counts and the caller's reactions; `message:reactions` is
 * coalesced per room; `Message.reactions` travels in history, replay and the HTTP history and
 * survives a restart; the like is the ❤️ reaction (`message:like` an alias, `message:likes`
 * still sent). Refusals: `invalid` emoji, `not_found`, `unauthorized` guests, `forbidden`
 * (not joined), `banned`, `rate_limited` over `REACTIONS_PER_MINUTE`. The migrations (SQLite 4, PostgreSQL 3) move the likes of an older
 * database into ❤️ reactions.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { REACTIONS, type Message, type ReactionCounts } from 'live-chat-protocol';
import type { Ledger } from '../../server/stores/ledger.ts';
import { createLedger, openDatabase } from '../../server/stores/sqlite-ledger.ts';
import { MIGRATIONS, migrate } from '../../server/stores/sqlite/migrations.ts';
import { migratePostgres, PG_MIGRATIONS } from '../../server/stores/postgres/migrations.ts';
import { createPool } from '../../server/stores/postgres/pool.ts';
import { createPostgresLedger } from '../../server/stores/postgres/postgres-ledger.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { startRedis } from './redis-fixture.ts';
import { call, collect, eventually, http, nextEvent, ok, refused, send, startServer, tempDir, type Client, type TestServer } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const react = (socket: Client, messageId: string, emoji: unknown, roomId = 'lobby'): Promise<any> =>
  call(socket, 'message:react', { roomId, messageId, emoji });

const sent = async (socket: Client, text: string) => ok<{ message: Message }>(await send(socket, text)).message;

async function joinMessages(socket: Client, sinceSeq?: number): Promise<Message[]> {
  return ok<{ messages: Message[] }>(await call(socket, 'room:join', { roomId: 'lobby', ...(sinceSeq === undefined ? {} : { sinceSeq }) }))
    .messages;
}

/**
 * After a migration of an older database whose message m1 had the likes of u2 and u3 and m2
 * none: the likes are ❤️ reactions with the same counts, and each old like is its user's ❤️
 * (toggling it, as a reaction or as a like, removes it).
 */
async function assertLikesMoved(ledger: Ledger): Promise<void> {
  const [m1, m2] = await ledger.messagesAfter('lobby', 0, 10);
  assert.deepEqual([m1!.likes, m1!.reactions, m1!.replyTo], [2, { '❤️': 2 }, null]);
  assert.deepEqual([m2!.likes, m2!.reactions], [0, {}]);
  assert.deepEqual(await ledger.toggleReaction('lobby', 'm1', 'u2', '❤️'), { reactions: { '❤️': 1 }, mine: [], added: false });
  assert.deepEqual(await ledger.toggleLike('lobby', 'm1', 'u3'), { likes: 0, liked: false });
}

describe('reactions', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('toggles, answers counts and mine, broadcasts message:reactions, and shows in history, replay and HTTP', async () => {
    const ann = await t.joined('React Ann');
    const bob = await t.joined('React Bob');
    const m = await sent(ann, 'react to me');
    assert.equal('reactions' in m, false, 'absent while nobody reacted');

    const seen = nextEvent(ann, 'message:reactions', (p) => p.messageId === m.id);
    assert.deepEqual(ok(await react(bob, m.id, '🎉')), { ok: true, reactions: { '🎉': 1 }, mine: ['🎉'] });
    assert.deepEqual(await seen, { roomId: 'lobby', messageId: m.id, reactions: { '🎉': 1 } });
    assert.deepEqual(ok(await react(bob, m.id, '👍')), { ok: true, reactions: { '👍': 1, '🎉': 1 }, mine: ['👍', '🎉'] });
    assert.deepEqual(ok(await react(ann, m.id, '👍')), { ok: true, reactions: { '👍': 2, '🎉': 1 }, mine: ['👍'] });
    assert.deepEqual(ok(await react(bob, m.id, '🎉')), { ok: true, reactions: { '👍': 2 }, mine: ['👍'] }, 'the second toggle removes');

    const expected: ReactionCounts = { '👍': 2 };
    assert.deepEqual((await joinMessages(bob)).find((x) => x.id === m.id)?.reactions, expected, 'join history');
    assert.deepEqual((await joinMessages(bob, m.seq - 1))[0]!.reactions, expected, 'replay from the recent window');
    const res = await http(t, 'GET', '/api/rooms/lobby/messages?limit=5');
    assert.deepEqual((res.body.messages as Message[]).find((x) => x.id === m.id)?.reactions, expected, 'HTTP history');
    await eventually(async () => {
      const last = (await joinMessages(ann, m.seq - 1))[0]!;
      assert.deepEqual(last.reactions, expected);
    });

    // Back to none: the field is absent again everywhere.
    ok(await react(ann, m.id, '👍'));
    ok(await react(bob, m.id, '👍'));
    assert.equal('reactions' in (await joinMessages(bob, m.seq - 1))[0]!, false, 'replay');
    const again = await http(t, 'GET', '/api/rooms/lobby/messages?limit=5');
    assert.equal('reactions' in (again.body.messages as Message[]).find((x) => x.id === m.id)!, false, 'HTTP history');
  });

  it('makes the like the ❤️ reaction: message:like is an alias, likes is the ❤️ count, message:likes still sent', async () => {
    const ann = await t.joined('Heart Ann');
    const bob = await t.joined('Heart Bob');
    const m = await sent(ann, 'love it');
    const likes = nextEvent(ann, 'message:likes', (p) => p.messageId === m.id && p.likes === 1);
    assert.deepEqual(ok(await call(bob, 'message:like', { roomId: 'lobby', messageId: m.id })), { ok: true, likes: 1 });
    await likes;
    assert.deepEqual(ok(await react(bob, m.id, '😮')).reactions, { '❤️': 1, '😮': 1 });
    const byReact = nextEvent(bob, 'message:likes', (p) => p.messageId === m.id && p.likes === 2);
    assert.deepEqual(ok(await react(ann, m.id, '❤️')), { ok: true, reactions: { '❤️': 2, '😮': 1 }, mine: ['❤️'] });
    await byReact;
    assert.deepEqual(ok(await react(bob, m.id, '❤️')), { ok: true, reactions: { '❤️': 1, '😮': 1 }, mine: ['😮'] }, 'the same ❤️ the like set');
    const stored = (await joinMessages(ann, m.seq - 1))[0]!;
    assert.deepEqual([stored.likes, stored.reactions], [1, { '❤️': 1, '😮': 1 }]);
    assert.deepEqual(ok(await call(ann, 'message:like', { roomId: 'lobby', messageId: m.id })), { ok: true, likes: 0 });
    assert.deepEqual(ok(await react(bob, m.id, '😮')).reactions, {});
  });

  it('refuses: invalid emoji, unknown or deleted messages, guests, sockets that have not joined, banned users', async () => {
    const host = await t.joined('React Host', 'lobby', ['host']);
    const ann = await t.joined('Refused Ann');
    const m = await sent(ann, 'target');
    for (const emoji of ['👎', '❤', ':heart:', '', 1, null, '👍👍']) refused(await react(ann, m.id, emoji), 'invalid');
    refused(await call(ann, 'message:react', { roomId: 'lobby', messageId: m.id }), 'invalid');
    refused(await react(ann, '', '👍'), 'invalid');
    refused(await react(ann, 'no-such-message', '👍'), 'not_found');
    refused(await react(ann, m.id, '👍', 'no-such-room'), 'not_found');

    const guest = await t.connect(null);
    ok(await call(guest, 'room:join', { roomId: 'lobby' }));
    refused(await react(guest, m.id, '👍'), 'unauthorized');
    refused(await call(guest, 'message:like', { roomId: 'lobby', messageId: m.id }), 'unauthorized');

    const stranger = await t.connect(await t.token('Not Joined'));
    refused(await react(stranger, m.id, '👍'), 'forbidden');

    const troll = await t.joined('React Troll');
    ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-react-troll', reason: 'spam' }));
    const banned = refused(await react(troll, m.id, '👍'), 'banned');
    assert.equal(banned.message, 'spam');
    refused(await call(troll, 'message:like', { roomId: 'lobby', messageId: m.id }), 'banned');

    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: m.id }));
    refused(await react(ann, m.id, '👍'), 'not_found');
    const gone = (await joinMessages(ann, m.seq - 1))[0]!;
    assert.deepEqual([gone.deleted, 'reactions' in gone], [true, false], 'nothing was counted');
  });

  it('keeps counts exact when two users toggle many times at once', async () => {
    const ann = await t.joined('Race Ann');
    const bob = await t.joined('Race Bob');
    const m = await sent(ann, 'race');
    // Each user toggles every reaction 5 times (on, off, on, off, on): all on at the end.
    const toggles = (who: Client) => REACTIONS.flatMap((emoji) => Array.from({ length: 5 }, () => react(who, m.id, emoji)));
    const acks = await Promise.all([...toggles(ann), ...toggles(bob)]);
    for (const ack of acks) ok(ack);
    const all = Object.fromEntries(REACTIONS.map((r) => [r, 2]));
    const stored = (await joinMessages(ann, m.seq - 1))[0]!;
    assert.deepEqual(stored.reactions, all);
    assert.equal(stored.likes, 2);
    assert.deepEqual(ok(await react(ann, m.id, '👍')).mine, REACTIONS.filter((r) => r !== '👍'));
  });
});

describe('REACTIONS_PER_MINUTE', () => {
  it('limits each user to that many toggles per room per sliding minute, message:like included, with retryAfterMs', async () => {
    const t = await startServer({ config: { reactionsPerMinute: 4 } });
    try {
      const ann = await t.joined('Toggle Ann');
      const bob = await t.joined('Toggle Bob');
      const m = await sent(ann, 'react to me');
      for (const emoji of ['👍', '👍', '🎉']) ok(await react(bob, m.id, emoji));
      ok(await call(bob, 'message:like', { roomId: 'lobby', messageId: m.id }));
      t.clock.advance(10_000);
      const error = refused(await react(bob, m.id, '😂'), 'rate_limited');
      assert.equal(error.retryAfterMs, 50_000);
      refused(await call(bob, 'message:like', { roomId: 'lobby', messageId: m.id }), 'rate_limited');
      ok(await react(ann, m.id, '😂')); // another user has their own window
      assert.deepEqual((await joinMessages(bob, m.seq - 1))[0]!.reactions, { '❤️': 1, '😂': 1, '🎉': 1 }, 'the refused toggles changed nothing');
      t.clock.advance(50_000);
      ok(await react(bob, m.id, '😂'));
    } finally {
      await t.destroy();
    }
  });
});

describe('message:reactions coalescing', () => {
  it('turns many toggles into few broadcasts, the last per message current', async () => {
    const intervalMs = 1000;
    const t = await startServer({ config: { messagesPerMinute: 1000, reactionsPerMinute: 1000, statsIntervalMs: intervalMs } });
    try {
      const ann = await t.joined('Burst Ann');
      const bob = await t.joined('Burst Bob');
      const messages = [await sent(ann, 'one'), await sent(ann, 'two'), await sent(ann, 'three')];
      const seen = collect(bob, 'message:reactions');
      const started = Date.now();
      const toggles = 90;
      for (let i = 0; i < toggles; i++) ok(await react(ann, messages[i % 3]!.id, REACTIONS[i % REACTIONS.length]!));
      const elapsed = Date.now() - started;
      const finals = await Promise.all(messages.map(async (m) => ok(await react(bob, m.id, '🎉')).reactions));
      // The broadcast after the last toggle carries the final counts of each message.
      await eventually(() => {
        for (const [i, m] of messages.entries()) {
          const last = seen.filter((p) => p.messageId === m.id).at(-1);
          assert.deepEqual(last?.reactions, finals[i], `the last message:reactions of message ${i + 1}`);
        }
      }, 5000);
      // At most one flush per interval, each with one event per message that changed.
      const flushes = 2 + Math.ceil((Date.now() - started) / intervalMs);
      assert.ok(seen.length <= flushes * messages.length, `${seen.length} broadcasts for ${toggles + 3} toggles in ${elapsed} ms`);
      assert.ok(seen.length < toggles / 3, `${seen.length} broadcasts for ${toggles + 3} toggles`);
    } finally {
      await t.destroy();
    }
  });
});

describe('reactions across a restart, and guests who may post', () => {
  it('keeps reactions and who gave them after a restart', async () => {
    let t = await startServer();
    try {
      const ann = await t.joined('Keep Ann');
      const m = await sent(ann, 'remember me');
      ok(await react(ann, m.id, '😂'));
      ok(await call(ann, 'message:like', { roomId: 'lobby', messageId: m.id }));
      t = await t.restart();
      const again = await t.joined('Keep Ann');
      const stored = (await joinMessages(again)).find((x) => x.id === m.id)!;
      assert.deepEqual([stored.likes, stored.reactions], [1, { '❤️': 1, '😂': 1 }]);
      assert.deepEqual(ok(await react(again, m.id, '😂')), { ok: true, reactions: { '❤️': 1 }, mine: ['❤️'] }, 'her 😂 was remembered');
    } finally {
      await t.destroy();
    }
  });

  it('lets guests react when GUEST_CAN_POST is on', async () => {
    const t = await startServer({ config: { guestCanPost: true } });
    try {
      const ann = await t.joined('Guest Host Ann');
      const m = await sent(ann, 'guests welcome');
      const guest = await t.connect(null);
      ok(await call(guest, 'room:join', { roomId: 'lobby' }));
      assert.deepEqual(ok(await react(guest, m.id, '👍')).reactions, { '👍': 1 });
    } finally {
      await t.destroy();
    }
  });
});

describe('migration 4: likes become ❤️ reactions', () => {
  it('moves every like of an older file into a ❤️ reaction, keeping the counts', async () => {
    const dir = tempDir();
    try {
      const db = openDatabase(dir);
      migrate(db, MIGRATIONS.slice(0, 3));
      const T0 = Date.parse('2030-01-15T12:00:00.000Z');
      db.exec(`
        INSERT INTO rooms (id, title, private, created_at, last_seq) VALUES ('lobby', 'Lobby', 0, ${T0}, 2);
        INSERT INTO sessions (id, room_id, started_at) VALUES ('s_old', 'lobby', ${T0});
        INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at, likes)
          VALUES ('m1', 'lobby', 1, 's_old', 'c1', 'u1', '{"id":"u1","name":"Ann","avatarUrl":null,"badges":[]}', 'liked', ${T0}, 2),
                 ('m2', 'lobby', 2, 's_old', 'c2', 'u1', '{"id":"u1","name":"Ann","avatarUrl":null,"badges":[]}', 'not liked', ${T0}, 0);
        INSERT INTO message_likes (message_id, user_id) VALUES ('m1', 'u2'), ('m1', 'u3');
      `);
      db.close();

      const ledger = createLedger(openDatabase(dir));
      try {
        await assertLikesMoved(ledger);
      } finally {
        await ledger.close();
      }
      const check = new Database(path.join(dir, 'live-chat.db'));
      try {
        const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'message_likes'").all();
        assert.deepEqual(tables, [], 'message_likes is gone');
      } finally {
        check.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL migration 3: likes become ❤️ reactions', () => {
  it('moves every like of an older database into a ❤️ reaction, keeping the counts', async () => {
    const postgres = await startPostgres();
    try {
      const url = await postgres.createDatabase();
      const pool = createPool(url, () => undefined);
      try {
        await migratePostgres(pool, PG_MIGRATIONS.slice(0, 2));
        const T0 = Date.parse('2030-01-15T12:00:00.000Z');
        const user = '{"id":"u1","name":"Ann","avatarUrl":null,"badges":[]}';
        await pool.query(`INSERT INTO rooms (id, title, private, created_at, last_seq) VALUES ('lobby', 'Lobby', FALSE, ${T0}, 2)`);
        await pool.query(`INSERT INTO sessions (id, room_id, started_at) VALUES ('s_old', 'lobby', ${T0})`);
        await pool.query(
          `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, text, created_at, likes)
           VALUES ('m1', 'lobby', 1, 's_old', 'c1', 'u1', $1, 'liked', ${T0}, 2), ('m2', 'lobby', 2, 's_old', 'c2', 'u1', $1, 'not liked', ${T0}, 0)`,
          [user],
        );
        await pool.query("INSERT INTO message_likes (message_id, user_id) VALUES ('m1', 'u2'), ('m1', 'u3')");
      } finally {
        await pool.end();
      }

      const ledger = createPostgresLedger({ connectionString: url });
      try {
        await assertLikesMoved(ledger);
      } finally {
        await ledger.close();
      }
    } finally {
      await postgres.stop();
    }
  });
});

describe('the recent window in Redis', () => {
  it('replays patched reactions (none again: absent) and blanked quotes as the ledger answers them', async () => {
    const redis = await startRedis();
    const t = await startServer({ config: { redisUrl: redis.url, messagesPerMinute: 1000 } });
    try {
      const host = await t.joined('Redis Host', 'lobby', ['host']);
      const ann = await t.joined('Redis Ann');
      const original = await sent(ann, 'quoted then deleted');
      const m = await sent(ann, 'reacted');
      const r = ok<{ message: Message }>(
        await call(ann, 'message:send', { roomId: 'lobby', clientId: crypto.randomUUID(), text: 'a reply', replyTo: original.id }),
      ).message;
      ok(await react(host, m.id, '😮'));
      ok(await react(ann, m.id, '😮'));
      let replayed = await joinMessages(ann, original.seq - 1);
      assert.deepEqual(replayed.find((x) => x.id === m.id)?.reactions, { '😮': 2 });
      ok(await react(host, m.id, '😮'));
      ok(await react(ann, m.id, '😮'));
      ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: original.id }));
      replayed = await joinMessages(ann, original.seq - 1);
      const fromLedger = (await http(t, 'GET', '/api/rooms/lobby/messages?limit=10')).body.messages as Message[];
      for (const id of [original.id, m.id, r.id]) {
        assert.deepEqual(replayed.find((x) => x.id === id), fromLedger.find((x) => x.id === id), `replay = ledger for ${id}`);
      }
      assert.equal('reactions' in replayed.find((x) => x.id === m.id)!, false);
      assert.equal(replayed.find((x) => x.id === r.id)!.replyTo!.text, '');
    } finally {
      await t.destroy();
      await redis.stop();
    }
  });
});
