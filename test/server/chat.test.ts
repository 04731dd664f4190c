/**
 * Chat over real sockets (issue 2): join, history, replay and gaps, idempotent sends, seq
 * order, limits, text rules, chat window, private rooms, moderation, likes, presence, typing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET } from '../../server/config.ts';
import type { Message } from 'live-chat-protocol';
import { call, clientId, collect, eventually, http, nextEvent, ok, refused, send, startServer, type TestServer } from './helpers.ts';

/** Creates a room through the HTTP API as a host. */
async function createRoom(t: TestServer, body: Record<string, unknown>) {
  const res = await http(t, 'POST', '/api/rooms', { body, token: await t.token('Room Maker', ['host']) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.room as { id: string };
}

describe('join, history and replay', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { historyLimit: 5, replayWindow: 8, messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('answers the join ack with room, me, stats and the last HISTORY_LIMIT messages oldest first', async () => {
    const a = await t.joined('Hist Ann');
    for (let i = 1; i <= 12; i++) ok(await send(a, `m${i}`));
    const b = await t.connect(await t.token('Hist Bob'));
    const ack = ok<{
      room: { id: string; title: string };
      messages: Message[];
      me: { user: { id: string }; guest: boolean; canPost: boolean; progress: unknown };
      stats: { viewers: number };
      gap: boolean;
      session: { id: string } | null;
    }>(await call(b, 'room:join', { roomId: 'lobby' }));
    assert.equal(ack.room.id, 'lobby');
    assert.equal(ack.room.title, 'Lobby');
    assert.deepEqual(
      ack.messages.map((m) => m.text),
      ['m8', 'm9', 'm10', 'm11', 'm12'],
    );
    assert.deepEqual(
      ack.messages.map((m) => m.seq),
      [8, 9, 10, 11, 12],
    );
    assert.equal(ack.gap, false);
    assert.equal(ack.me.user.id, 'dev-hist-bob');
    assert.equal(ack.me.guest, false);
    assert.equal(ack.me.canPost, true);
    assert.ok(ack.me.progress);
    assert.equal(ack.stats.viewers, 2);
    assert.ok(ack.session?.id);
  });

  it('replays what came after sinceSeq inside the window, without a gap', async () => {
    const a = await t.joined('Replay Ann');
    const before = ok<{ messages: Message[] }>(await call(a, 'room:join', { roomId: 'lobby' }));
    const last = before.messages.at(-1)!.seq;
    for (let i = 0; i < 3; i++) ok(await send(a, `replay ${i}`));
    const ack = ok<{ messages: Message[]; gap: boolean }>(await call(a, 'room:join', { roomId: 'lobby', sinceSeq: last }));
    assert.equal(ack.gap, false);
    assert.deepEqual(
      ack.messages.map((m) => m.seq),
      [last + 1, last + 2, last + 3],
    );
    const none = ok<{ messages: Message[]; gap: boolean }>(await call(a, 'room:join', { roomId: 'lobby', sinceSeq: last + 3 }));
    assert.deepEqual(none.messages, []);
    assert.equal(none.gap, false);
  });

  it('answers gap: true with the last HISTORY_LIMIT when sinceSeq is older than the replay window', async () => {
    const a = await t.joined('Gap Ann');
    for (let i = 0; i < 10; i++) ok(await send(a, `gap ${i}`));
    const head = ok<{ messages: Message[] }>(await call(a, 'room:join', { roomId: 'lobby' })).messages.at(-1)!.seq;
    const ack = ok<{ messages: Message[]; gap: boolean }>(await call(a, 'room:join', { roomId: 'lobby', sinceSeq: head - 9 }));
    assert.equal(ack.gap, true);
    assert.equal(ack.messages.length, 5);
    assert.equal(ack.messages.at(-1)!.seq, head);
    const ahead = ok<{ gap: boolean }>(await call(a, 'room:join', { roomId: 'lobby', sinceSeq: head + 100 }));
    assert.equal(ahead.gap, true, 'a sinceSeq the server never had is a gap');
  });

  it('replays from SQLite after a restart (empty hot window)', async () => {
    const a = await t.joined('Restart Ann');
    const head = ok<{ messages: Message[] }>(await call(a, 'room:join', { roomId: 'lobby' })).messages.at(-1)!.seq;
    ok(await send(a, 'before restart 1'));
    ok(await send(a, 'before restart 2'));
    t = await t.restart();
    const b = await t.connect(await t.token('Restart Ann'));
    const ack = ok<{ messages: Message[]; gap: boolean }>(await call(b, 'room:join', { roomId: 'lobby', sinceSeq: head }));
    assert.equal(ack.gap, false);
    assert.deepEqual(
      ack.messages.map((m) => m.text),
      ['before restart 1', 'before restart 2'],
    );
  });

  it('pages older history over HTTP, oldest first', async () => {
    const res = await http(t, 'GET', '/api/rooms/lobby/messages?beforeSeq=5&limit=3');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.messages.map((m: Message) => m.seq),
      [2, 3, 4],
    );
  });

  it('refuses unknown rooms with not_found', async () => {
    const a = await t.connect(await t.token('Lost Lou'));
    refused(await call(a, 'room:join', { roomId: 'no-such-room' }), 'not_found');
  });
});

describe('sending', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('is idempotent by clientId: a retry answers the first message and broadcasts nothing new', async () => {
    const a = await t.joined('Idem Ann');
    const observer = await t.joined('Idem Obs');
    const seen = collect(observer, 'message:new');
    const id = clientId();
    const first = ok<{ message: Message; reward: unknown }>(await send(a, 'only once', 'lobby', id));
    const second = ok<{ message: Message; reward: unknown }>(await send(a, 'only once (retry)', 'lobby', id));
    assert.deepEqual(second.message, first.message);
    assert.deepEqual(second.reward, first.reward);
    await eventually(() => assert.equal(seen.length, 1));
    const history = ok<{ messages: Message[] }>(await call(a, 'room:join', { roomId: 'lobby' })).messages;
    assert.equal(history.filter((m) => m.clientId === id).length, 1);
  });

  it('answers a retry whatever the limits say now: rate limit, slow mode, timeout, ban, closed window, deleted original', async () => {
    const host = await t.joined('Retry Host', 'lobby', ['host']);
    const room = await createRoom(t, { id: 'retry-room', title: 'Retries', closesAt: new Date(t.clock.now() + 3_600_000).toISOString() });
    ok(await call(host, 'room:join', { roomId: room.id }));
    const a = await t.joined('Retry Ray', room.id);
    const original = ok<{ message: Message }>(await send(host, 'the original', room.id)).message;
    const reply = clientId();
    const stored = ok<{ message: Message; reward: unknown }>(
      await call(a, 'message:send', { roomId: room.id, clientId: reply, text: 'a reply', replyTo: original.id }),
    );
    const retry = async (what: string) => {
      const again = ok<{ message: Message; reward: unknown }>(await call(a, 'message:send', { roomId: room.id, clientId: reply, text: 'a reply', replyTo: original.id }));
      assert.deepEqual([again.message.id, again.message.seq, again.reward], [stored.message.id, stored.message.seq, stored.reward], what);
      // A new message is refused meanwhile: the limit is real.
      return call(a, 'message:send', { roomId: room.id, clientId: clientId(), text: 'new' });
    };

    for (let i = 0; i < 9; i++) ok(await send(a, `fill ${i}`, room.id));
    refused(await retry('rate-limited'), 'rate_limited');
    t.clock.advance(60_000);
    ok(await call(host, 'room:update', { roomId: room.id, slowModeSeconds: 30 }));
    ok(await send(a, 'takes the slow-mode slot', room.id));
    refused(await retry('in slow mode'), 'slow_mode');
    ok(await call(host, 'room:update', { roomId: room.id, slowModeSeconds: 0 }));
    ok(await call(host, 'mod:timeout', { roomId: room.id, userId: 'dev-retry-ray', seconds: 60 }));
    refused(await retry('timed out'), 'timed_out');
    ok(await call(host, 'mod:ban', { roomId: room.id, userId: 'dev-retry-ray' }));
    refused(await retry('banned'), 'banned');
    ok(await call(host, 'mod:unban', { roomId: room.id, userId: 'dev-retry-ray' }));
    t.clock.advance(60_000);
    ok(await call(host, 'mod:delete', { roomId: room.id, messageId: original.id }));
    refused(await call(a, 'message:send', { roomId: room.id, clientId: clientId(), text: 'new', replyTo: original.id }), 'not_found');
    await retry('the original deleted');
    t.clock.advance(3_600_000);
    refused(await retry('the window closed'), 'chat_closed');
  });

  it('assigns strictly increasing seqs per room under concurrent senders', async () => {
    const second = await createRoom(t, { id: 'seq-room', title: 'Seq room' });
    const senders = await Promise.all(['Seq A', 'Seq B', 'Seq C'].map((n) => t.joined(n)));
    for (const s of senders) ok(await call(s, 'room:join', { roomId: second.id }));
    const observer = await t.joined('Seq Obs');
    ok(await call(observer, 'room:join', { roomId: second.id }));
    const seen = collect(observer, 'message:new');
    const acks = await Promise.all(
      senders.flatMap((s, i) => [0, 1, 2, 3].flatMap((k) => [send(s, `l${i}-${k}`), send(s, `r${i}-${k}`, second.id)])),
    );
    acks.forEach(ok);
    await eventually(() => assert.equal(seen.length, 24));
    for (const roomId of ['lobby', second.id]) {
      const seqs = seen.filter((m) => m.roomId === roomId).map((m) => m.seq);
      assert.equal(new Set(seqs).size, 12, 'no seq twice');
      assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'broadcast in seq order');
    }
    const roomSeqs = seen.filter((m) => m.roomId === second.id).map((m) => m.seq);
    assert.deepEqual(roomSeqs, Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('limits each user to MESSAGES_PER_MINUTE per room, with retryAfterMs', async () => {
    const a = await t.joined('Rate Ann');
    for (let i = 0; i < 10; i++) ok(await send(a, `r${i}`));
    t.clock.advance(20_000);
    const error = refused(await send(a, 'one too many'), 'rate_limited');
    assert.equal(error.retryAfterMs, 40_000);
    const other = await createRoom(t, { id: 'rate-other', title: 'Other' });
    ok(await call(a, 'room:join', { roomId: other.id }));
    ok(await send(a, 'other rooms have their own window', other.id));
    t.clock.advance(40_000);
    ok(await send(a, 'the window moved on'));
  });

  it('trims, strips control characters, keeps emoji and any script, and stores markup as text', async () => {
    const a = await t.joined('Text Ann');
    const m = ok<{ message: Message }>(await send(a, '  he\u0000l\u0007lo\u200b \u{1F469}\u200D\u{1F680} مرحبا 你好\n<img src=x onerror=alert(1)>  '));
    assert.equal(m.message.text, 'hello\u200b \u{1F469}\u200D\u{1F680} مرحبا 你好 <img src=x onerror=alert(1)>');
  });

  it('counts length in characters: 2000 emoji pass, 2001 characters are too_long, blank is invalid', async () => {
    const a = await t.joined('Len Ann');
    ok(await send(a, '\u{1F600}'.repeat(2000)));
    refused(await send(a, 'x'.repeat(2001)), 'too_long');
    refused(await send(a, ' \u0000\t\n '), 'invalid');
    refused(await send(a, ''), 'invalid');
    refused(await send(a, 'y'.repeat(100_001)), 'too_long');
  });

  it('refuses malformed payloads with invalid', async () => {
    const a = await t.joined('Type Ann');
    refused(await call(a, 'message:send', { roomId: 'lobby', clientId: clientId(), text: 42 }), 'invalid');
    refused(await call(a, 'message:send', { roomId: 'lobby', text: 'no client id' }), 'invalid');
    refused(await call(a, 'message:send', { roomId: '../etc', clientId: clientId(), text: 'x' }), 'invalid');
    refused(await call(a, 'message:send', null), 'invalid');
    refused(await call(a, 'message:send'), 'invalid');
    refused(await call(a, 'room:join', { roomId: 'lobby', sinceSeq: -1 }), 'invalid');
  });

  it('refuses events for a room the socket has not joined', async () => {
    const other = await createRoom(t, { id: 'not-joined', title: 'Not joined' });
    const a = await t.joined('Nj Ann');
    refused(await send(a, 'hi', other.id), 'forbidden');
    refused(await call(a, 'room:like', { roomId: other.id }), 'forbidden');
    refused(await call(a, 'typing:start', { roomId: other.id }), 'forbidden');
    refused(await send(a, 'hi', 'nowhere'), 'not_found');
  });

  it('lets guests read but not post unless GUEST_CAN_POST', async () => {
    const guest = await t.connect(null);
    const ack = ok<{ me: { guest: boolean; canPost: boolean; progress: unknown; user: { id: string } } }>(
      await call(guest, 'room:join', { roomId: 'lobby' }),
    );
    assert.equal(ack.me.guest, true);
    assert.equal(ack.me.canPost, false);
    assert.equal(ack.me.progress, null);
    assert.match(ack.me.user.id, /^guest-/);
    refused(await send(guest, 'hello'), 'unauthorized');
    refused(await call(guest, 'room:like', { roomId: 'lobby' }), 'unauthorized');
  });
});

describe('MAX_MESSAGE_LENGTH', () => {
  it('is told to the composer in the join ack and enforced in characters', async () => {
    const t = await startServer({ config: { maxMessageLength: 300 } });
    try {
      const socket = await t.connect(await t.token('Limit Lou'));
      const ack = ok<{ limits?: { maxMessageLength: number } }>(await call(socket, 'room:join', { roomId: 'lobby' }));
      assert.equal(ack.limits?.maxMessageLength, 300);
      ok(await send(socket, '\u{1F600}'.repeat(300)));
      refused(await send(socket, 'x'.repeat(301)), 'too_long');
    } finally {
      await t.destroy();
    }
  });
});

describe('guests who may post', () => {
  it('stores their messages with no reward', async () => {
    const t = await startServer({ config: { guestCanPost: true } });
    try {
      const guest = await t.connect(null);
      ok(await call(guest, 'room:join', { roomId: 'lobby' }));
      const ack = ok<{ message: Message; reward: unknown }>(await send(guest, 'guest says hi'));
      assert.equal(ack.reward, null);
      assert.equal(ack.message.reward, null);
    } finally {
      await t.destroy();
    }
  });
});

describe('chat window', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('answers chat_closed before opensAt (with retryAfterMs) and after closesAt, and starts a session at opening', async () => {
    const now = t.clock.now();
    const room = await createRoom(t, {
      id: 'draw',
      title: 'The draw',
      opensAt: new Date(now + 3_600_000).toISOString(),
      closesAt: new Date(now + 3 * 3_600_000).toISOString(),
    });
    const a = await t.joined('Window Ann', room.id);
    const early = refused(await send(a, 'too early', room.id), 'chat_closed');
    assert.equal(early.retryAfterMs, 3_600_000);

    t.clock.advance(3_600_000);
    const join = ok<{ session: { id: string; startedAt: string } | null }>(await call(a, 'room:join', { roomId: room.id }));
    assert.equal(join.session?.startedAt, new Date(now + 3_600_000).toISOString(), 'the window opening started a session');
    const sent = ok<{ message: Message }>(await send(a, 'open now', room.id));
    assert.equal(sent.message.seq, 1);

    t.clock.advance(2 * 3_600_000);
    const late = refused(await send(a, 'too late', room.id), 'chat_closed');
    assert.equal(late.retryAfterMs, undefined);
  });
});

describe('private rooms', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('refuses users without the room in their token, guests, and HTTP readers', async () => {
    await createRoom(t, { id: 'vip', title: 'VIP', private: true });
    const outsider = await t.connect(await t.token('Outsider'));
    refused(await call(outsider, 'room:join', { roomId: 'vip' }), 'forbidden');
    const guest = await t.connect(null);
    refused(await call(guest, 'room:join', { roomId: 'vip' }), 'forbidden');
    assert.equal((await http(t, 'GET', '/api/rooms/vip')).status, 403);
    assert.equal((await http(t, 'GET', '/api/rooms/vip/messages')).status, 403);
    const listed = await http(t, 'GET', '/api/rooms');
    assert.ok(!listed.body.rooms.some((r: { id: string }) => r.id === 'vip'));

    const memberToken = await new SignJWT({ name: 'Member', rooms: ['vip'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('member-1')
      .setIssuedAt(Math.floor(t.clock.now() / 1000))
      .setExpirationTime(Math.floor(t.clock.now() / 1000) + 600)
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    const member = await t.connect(memberToken);
    ok(await call(member, 'room:join', { roomId: 'vip' }));
    ok(await send(member, 'members only', 'vip'));
    const res = await http(t, 'GET', '/api/rooms/vip/messages', { token: memberToken });
    assert.equal(res.status, 200);
    assert.equal(res.body.messages.length, 1);
  });
});

describe('moderation and room settings', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('refuses mod:*, room:update and session:* to users who are neither host nor moderator', async () => {
    const user = await t.joined('Plain Pat');
    const m = ok<{ message: Message }>(await send(user, 'mine'));
    refused(await call(user, 'mod:delete', { roomId: 'lobby', messageId: m.message.id }), 'forbidden');
    refused(await call(user, 'mod:timeout', { roomId: 'lobby', userId: 'dev-someone', seconds: 60 }), 'forbidden');
    refused(await call(user, 'room:update', { roomId: 'lobby', slowModeSeconds: 5 }), 'forbidden');
    refused(await call(user, 'session:start', { roomId: 'lobby' }), 'forbidden');
    refused(await call(user, 'session:end', { roomId: 'lobby' }), 'forbidden');
    const winner = await t.joined('Winner Wes', 'lobby', ['winner']);
    refused(await call(winner, 'mod:delete', { roomId: 'lobby', messageId: m.message.id }), 'forbidden');
  });

  it('lets a moderator delete a message: broadcast, and a tombstone in history', async () => {
    const author = await t.joined('Deleted Dan');
    const mod = await t.joined('Mod Mia', 'lobby', ['moderator']);
    const m = ok<{ message: Message }>(await send(author, 'delete me'));
    const deleted = nextEvent(author, 'message:deleted', (p) => p.messageId === m.message.id);
    ok(await call(mod, 'mod:delete', { roomId: 'lobby', messageId: m.message.id }));
    assert.deepEqual(await deleted, { roomId: 'lobby', messageId: m.message.id });
    const history = ok<{ messages: Message[] }>(await call(author, 'room:join', { roomId: 'lobby' })).messages;
    const tomb = history.find((x) => x.id === m.message.id)!;
    assert.equal(tomb.deleted, true);
    assert.equal(tomb.text, '');
    refused(await call(mod, 'mod:delete', { roomId: 'lobby', messageId: 'nope' }), 'not_found');
  });

  it('lets a host time a user out (timed_out with retryAfterMs) and set slow mode', async () => {
    const user = await t.joined('Timeout Tim');
    const host = await t.joined('Host Hal', 'lobby', ['host']);
    ok(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-timeout-tim', seconds: 30 }));
    const error = refused(await send(user, 'muted?'), 'timed_out');
    assert.equal(error.retryAfterMs, 30_000);
    t.clock.advance(30_000);
    ok(await send(user, 'back'));

    const updated = nextEvent(user, 'room:updated');
    const ack = ok<{ room: { slowModeSeconds: number } }>(await call(host, 'room:update', { roomId: 'lobby', slowModeSeconds: 10 }));
    assert.equal(ack.room.slowModeSeconds, 10);
    assert.equal((await updated).slowModeSeconds, 10);
    t.clock.advance(60_000);
    ok(await send(user, 'first'));
    const slow = refused(await send(user, 'second'), 'slow_mode');
    assert.equal(slow.retryAfterMs, 10_000);
    ok(await send(host, 'hosts are exempt'));
    ok(await send(host, 'from slow mode'));
    ok(await call(host, 'room:update', { roomId: 'lobby', slowModeSeconds: 0 }));
    refused(await call(host, 'room:update', { roomId: 'lobby', opensAt: '2030-02-01T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' }), 'invalid');
    refused(await call(host, 'room:update', { roomId: 'lobby', title: 'x'.repeat(121) }), 'too_long');
  });

  it('starts and ends sessions for hosts', async () => {
    const host = await t.joined('Session Sue', 'lobby', ['host']);
    const started = ok<{ session: { id: string; endedAt: null } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    assert.equal(started.session.endedAt, null);
    const board = nextEvent(host, 'leaderboard:update', (p) => p.sessionId !== started.session.id);
    ok(await send(host, 'first in the new session'));
    const ended = ok<{ session: { id: string; endedAt: string } }>(await call(host, 'session:end', { roomId: 'lobby' }));
    assert.equal(ended.session.id, started.session.id);
    assert.ok(ended.session.endedAt);
    const again = ok<{ session: null }>(await call(host, 'session:end', { roomId: 'lobby' }));
    assert.equal(again.session, null);
    // The next message starts a new session implicitly.
    ok(await send(host, 'after the end'));
    const update = await board;
    assert.notEqual(update.sessionId, started.session.id);
  });
});

describe('likes, presence, stats and typing', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { roomLikesPerMinute: 60 } });
  });
  after(() => t.destroy());

  it('toggles one like per user per message and broadcasts message:likes', async () => {
    const a = await t.joined('Like Ann');
    const b = await t.joined('Like Bob');
    const m = ok<{ message: Message }>(await send(a, 'like me'));
    const broadcast = nextEvent(a, 'message:likes', (p) => p.messageId === m.message.id);
    assert.equal(ok<{ likes: number }>(await call(b, 'message:like', { roomId: 'lobby', messageId: m.message.id })).likes, 1);
    assert.deepEqual(await broadcast, { roomId: 'lobby', messageId: m.message.id, likes: 1 });
    assert.equal(ok<{ likes: number }>(await call(a, 'message:like', { roomId: 'lobby', messageId: m.message.id })).likes, 2);
    assert.equal(ok<{ likes: number }>(await call(b, 'message:like', { roomId: 'lobby', messageId: m.message.id })).likes, 1);
    refused(await call(b, 'message:like', { roomId: 'lobby', messageId: 'missing' }), 'not_found');
    const history = ok<{ messages: Message[] }>(await call(b, 'room:join', { roomId: 'lobby' })).messages;
    assert.equal(history.find((x) => x.id === m.message.id)!.likes, 1);
  });

  it('counts viewers as distinct users and announces presence on first join and last leave', async () => {
    const watcher = await t.joined('Watcher');
    const token = await t.token('Two Tabs');
    const joins = collect(watcher, 'presence:join');
    const leaves = collect(watcher, 'presence:leave');
    const tab1 = await t.connect(token);
    const tab2 = await t.connect(token);
    ok(await call(tab1, 'room:join', { roomId: 'lobby' }));
    const ack = ok<{ stats: { viewers: number } }>(await call(tab2, 'room:join', { roomId: 'lobby' }));
    const viewers = ack.stats.viewers;
    await eventually(() => assert.equal(joins.flatMap((p) => p.users).filter((u) => u.id === 'dev-two-tabs').length, 1));
    ok(await call(tab1, 'room:leave', { roomId: 'lobby' }));
    const stats = await nextEvent(watcher, 'room:stats', (s) => s.viewers === viewers);
    assert.equal(stats.viewers, viewers, 'one tab left, the user is still there');
    assert.equal(leaves.length, 0);
    tab2.disconnect();
    await eventually(() => assert.equal(leaves.flatMap((p) => p.users).filter((u) => u.id === 'dev-two-tabs').length, 1));
    await nextEvent(watcher, 'room:stats', (s) => s.viewers === viewers - 1);
  });

  it('does not count a socket that disconnects while its join is still running', async () => {
    const presence = t.server.services.presence;
    const enter = presence.enter;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const waiting = new Promise<void>((resolve) => (reached = resolve));
    let finished!: () => void;
    const entered = new Promise<void>((resolve) => (finished = resolve));
    // Hold the join between its subscription and presence.enter, as a slow Redis would.
    presence.enter = async (...args) => {
      reached();
      await gate;
      try {
        return await enter.apply(presence, args);
      } finally {
        finished();
      }
    };
    try {
      const viewers = (await presence.stats('lobby')).viewers;
      const socket = await t.connect(await t.token('Gone Gil'));
      const socketId = socket.id!;
      socket.emit('room:join', { roomId: 'lobby' }, () => undefined);
      await waiting;
      socket.disconnect();
      await eventually(() => assert.equal(t.server.io.of('/').sockets.has(socketId), false));
      release();
      await entered;
      await eventually(async () => assert.equal((await presence.stats('lobby')).viewers, viewers));
    } finally {
      presence.enter = enter;
      release();
    }
  });

  it('counts session hearts, rate-limits them, and coalesces room:stats', async () => {
    const a = await t.joined('Heart Ann');
    const stats = collect(a, 'room:stats');
    const acks = await Promise.all(Array.from({ length: 30 }, () => call(a, 'room:like', { roomId: 'lobby' })));
    acks.forEach(ok);
    const total = Math.max(...acks.map((x: { likes: number }) => x.likes));
    await eventually(() => assert.equal(stats.at(-1)?.likes, total));
    assert.ok(stats.length < 30, `30 hearts gave ${stats.length} room:stats events`);
    ok(await call(a, 'room:like', { roomId: 'lobby', count: 30 }));
    const limited = refused(await call(a, 'room:like', { roomId: 'lobby' }), 'rate_limited');
    assert.ok(limited.retryAfterMs! > 0);
  });

  it('broadcasts typing lists', async () => {
    const a = await t.joined('Typing Ann');
    const b = await t.joined('Typing Bob');
    const typing = nextEvent(b, 'typing', (p) => p.users.some((u) => u.id === 'dev-typing-ann'));
    ok(await call(a, 'typing:start', { roomId: 'lobby' }));
    await typing;
    const stopped = nextEvent(b, 'typing', (p) => !p.users.some((u) => u.id === 'dev-typing-ann'));
    ok(await call(a, 'typing:stop', { roomId: 'lobby' }));
    await stopped;
  });
});
