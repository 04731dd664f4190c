/**
 * Host tools over real sockets and a real SQLite file (issue 9): bans and timeouts with their
 * reasons (stored: they survive a restart), `moderation:notice` to the user's sockets only,
 * `me.restriction` in the join ack, pins in the join ack and `room:updated`, `session:updated`,
 * the moderation log over HTTP, and the refusals of every new event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message, ModerationEntry, ModerationNotice, Room } from 'live-chat-protocol';
import { call, collect, eventually, http, nextEvent, ok, refused, send, startServer, type TestServer } from './helpers.ts';

const HOST: ['host'] = ['host'];

describe('ban and unban', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('refuses a banned user every action with `banned` and the reason, tells only their sockets, and survives a restart', async () => {
    const host = await t.joined('Ban Host', 'lobby', HOST);
    const bob = await t.joined('Ban Bob');
    const bobTab2 = await t.joined('Ban Bob');
    const other = await t.joined('Ban Other');
    const posted = ok<{ message: Message }>(await send(other, 'something to like'));
    const othersNotices = collect(other, 'moderation:notice');

    const notices = [nextEvent(bob, 'moderation:notice'), nextEvent(bobTab2, 'moderation:notice')];
    ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-ban-bob', reason: '  spam links  ' }));
    for (const notice of await Promise.all(notices)) {
      assert.deepEqual(notice, { roomId: 'lobby', kind: 'ban', until: null, reason: 'spam links' } satisfies ModerationNotice);
    }

    const expectBanned = (ack: unknown) => assert.equal(refused(ack as never, 'banned').message, 'spam links');
    expectBanned(await send(bob, 'hello?'));
    expectBanned(await call(bob, 'message:like', { roomId: 'lobby', messageId: posted.message.id }));
    expectBanned(await call(bob, 'room:like', { roomId: 'lobby', count: 3 }));
    expectBanned(await call(bob, 'typing:start', { roomId: 'lobby' }));
    ok(await send(other, 'others still chat'));
    assert.deepEqual(othersNotices, [], 'nobody else is told');

    // A banned user may still join and read; the join ack says why they cannot post.
    const again = ok<{ me: { restriction: unknown } }>(await call(bob, 'room:join', { roomId: 'lobby' }));
    assert.deepEqual(again.me.restriction, { kind: 'ban', until: null, reason: 'spam links' });

    t = await t.restart();
    const bobBack = await t.connect(await t.token('Ban Bob'));
    const join = ok<{ me: { restriction: unknown } }>(await call(bobBack, 'room:join', { roomId: 'lobby' }));
    assert.deepEqual(join.me.restriction, { kind: 'ban', until: null, reason: 'spam links' }, 'the ban survived the restart');
    expectBanned(await send(bobBack, 'after restart'));

    const host2 = await t.joined('Ban Host', 'lobby', HOST);
    const unbanned = nextEvent(bobBack, 'moderation:notice');
    ok(await call(host2, 'mod:unban', { roomId: 'lobby', userId: 'dev-ban-bob' }));
    assert.deepEqual(await unbanned, { roomId: 'lobby', kind: 'unban', until: null, reason: null });
    ok(await send(bobBack, 'back again'));
    const rejoin = ok<{ me: { restriction: unknown } }>(await call(bobBack, 'room:join', { roomId: 'lobby' }));
    assert.equal(rejoin.me.restriction, null);
  });

  it('without a reason the refusal says the user was banned', async () => {
    const host = await t.joined('Ban Host 2', 'lobby', HOST);
    const eve = await t.joined('Ban Eve');
    ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-ban-eve' }));
    assert.match(refused(await send(eve, 'hi'), 'banned').message, /banned/);
  });

  it('is per room: a ban in one room does not stop the user in another', async () => {
    const hostToken = await t.token('Ban Host 3', HOST);
    const res = await http(t, 'POST', '/api/rooms', { body: { id: 'ban-other-room', title: 'Other' }, token: hostToken });
    assert.equal(res.status, 201);
    const host = await t.joined('Ban Host 3', 'ban-other-room', HOST);
    const zed = await t.joined('Ban Zed', 'ban-other-room');
    ok(await call(zed, 'room:join', { roomId: 'lobby' }));
    ok(await call(host, 'mod:ban', { roomId: 'ban-other-room', userId: 'dev-ban-zed', reason: 'no' }));
    refused(await send(zed, 'x', 'ban-other-room'), 'banned');
    ok(await send(zed, 'x', 'lobby'));
  });

  it('refuses viewers (forbidden), bad payloads (invalid) and unknown rooms (not_found)', async () => {
    const viewer = await t.joined('Ban Viewer');
    const host = await t.joined('Ban Host 4', 'lobby', HOST);
    refused(await call(viewer, 'mod:ban', { roomId: 'lobby', userId: 'dev-someone' }), 'forbidden');
    refused(await call(viewer, 'mod:unban', { roomId: 'lobby', userId: 'dev-someone' }), 'forbidden');
    refused(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-x', reason: 'r'.repeat(201) }), 'invalid');
    refused(await call(host, 'mod:ban', { roomId: 'lobby' }), 'invalid');
    refused(await call(host, 'mod:ban', { roomId: 'lobby', userId: '' }), 'invalid');
    refused(await call(host, 'mod:unban', { roomId: 'lobby', userId: 42 }), 'invalid');
    refused(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-x', seconds: 60, reason: 7 }), 'invalid');
    refused(await call(host, 'mod:ban', { roomId: 'no-such-room', userId: 'dev-x' }), 'not_found');
  });
});

describe('timeouts with a reason', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('tells the user when it ends and why, refuses with retryAfterMs, survives a restart, and ends', async () => {
    const host = await t.joined('Tim Host', 'lobby', HOST);
    const tim = await t.joined('Tim User');
    const notice = nextEvent(tim, 'moderation:notice');
    ok(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-tim-user', seconds: 600, reason: 'cool down' }));
    const until = new Date(t.clock.ms + 600_000).toISOString();
    assert.deepEqual(await notice, { roomId: 'lobby', kind: 'timeout', until, reason: 'cool down' });

    const error = refused(await send(tim, 'hi'), 'timed_out');
    assert.equal(error.message, 'cool down');
    assert.equal(error.retryAfterMs, 600_000);
    refused(await call(tim, 'room:like', { roomId: 'lobby' }), 'timed_out');
    const join = ok<{ me: { restriction: unknown } }>(await call(tim, 'room:join', { roomId: 'lobby' }));
    assert.deepEqual(join.me.restriction, { kind: 'timeout', until, reason: 'cool down' });

    t = await t.restart();
    t.clock.advance(60_000);
    const back = await t.joined('Tim User');
    assert.equal(refused(await send(back, 'still?'), 'timed_out').retryAfterMs, 540_000);

    t.clock.advance(540_000);
    ok(await send(back, 'free again'));
    const later = ok<{ me: { restriction: unknown } }>(await call(back, 'room:join', { roomId: 'lobby' }));
    assert.equal(later.me.restriction, null);
  });

  it('a ban wins over a running timeout, and the timeout still runs after an unban', async () => {
    const host = await t.joined('Tim Host 2', 'lobby', HOST);
    const ann = await t.joined('Tim Ann');
    ok(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-tim-ann', seconds: 60 }));
    ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-tim-ann', reason: 'worse' }));
    refused(await send(ann, 'x'), 'banned');
    ok(await call(host, 'mod:unban', { roomId: 'lobby', userId: 'dev-tim-ann' }));
    refused(await send(ann, 'x'), 'timed_out');
  });
});

describe('pinned message', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('pins for everyone (ack, room:updated, join ack), unpins, and a deleted pinned message unpins', async () => {
    const host = await t.joined('Pin Host', 'lobby', HOST);
    const viewer = await t.joined('Pin Viewer');
    const { message } = ok<{ message: Message }>(await send(viewer, 'pin me'));

    const updated = nextEvent(viewer, 'room:updated', (r) => r.pinned !== null);
    const ack = ok<{ room: Room }>(await call(host, 'room:pin', { roomId: 'lobby', messageId: message.id }));
    assert.equal(ack.room.pinned?.id, message.id);
    assert.equal(ack.room.pinned?.text, 'pin me');
    assert.equal((await updated).pinned?.id, message.id);

    const late = await t.connect(await t.token('Pin Late'));
    const join = ok<{ room: Room }>(await call(late, 'room:join', { roomId: 'lobby' }));
    assert.equal(join.room.pinned?.id, message.id);
    const viaHttp = await http(t, 'GET', '/api/rooms/lobby');
    assert.equal(viaHttp.body.room.pinned.id, message.id);

    const unpinned = nextEvent(viewer, 'room:updated', (r) => r.pinned === null);
    assert.equal(ok<{ room: Room }>(await call(host, 'room:pin', { roomId: 'lobby', messageId: null })).room.pinned, null);
    await unpinned;

    ok(await call(host, 'room:pin', { roomId: 'lobby', messageId: message.id }));
    const unpinnedByDelete = nextEvent(viewer, 'room:updated', (r) => r.pinned === null);
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: message.id }));
    await unpinnedByDelete;
    const after = ok<{ room: Room }>(await call(late, 'room:join', { roomId: 'lobby' }));
    assert.equal(after.room.pinned, null);
  });

  it('refuses viewers (forbidden), bad payloads (invalid), unknown or deleted messages (not_found)', async () => {
    const host = await t.joined('Pin Host 2', 'lobby', HOST);
    const viewer = await t.joined('Pin Viewer 2');
    const { message } = ok<{ message: Message }>(await send(viewer, 'soon gone'));
    refused(await call(viewer, 'room:pin', { roomId: 'lobby', messageId: message.id }), 'forbidden');
    refused(await call(host, 'room:pin', { roomId: 'lobby' }), 'invalid');
    refused(await call(host, 'room:pin', { roomId: 'lobby', messageId: '' }), 'invalid');
    refused(await call(host, 'room:pin', { roomId: 'lobby', messageId: 'no-such-message' }), 'not_found');
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: message.id }));
    refused(await call(host, 'room:pin', { roomId: 'lobby', messageId: message.id }), 'not_found');
  });
});

describe('session:updated', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('tells the room when staff start or end a session, and when a message starts one implicitly', async () => {
    const host = await t.joined('Sess Host', 'lobby', HOST);
    const viewer = await t.joined('Sess Viewer');

    const started = nextEvent(viewer, 'session:updated', (p) => p.session?.endedAt === null);
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    assert.equal((await started).session?.id, session.id);

    t.clock.advance(1000);
    const ended = nextEvent(viewer, 'session:updated', (p) => p.session?.endedAt != null);
    ok(await call(host, 'session:end', { roomId: 'lobby' }));
    const endedEvent = await ended;
    assert.equal(endedEvent.roomId, 'lobby');
    assert.equal(endedEvent.session?.id, session.id);
    assert.equal(endedEvent.session?.endedAt, new Date(t.clock.ms).toISOString());

    const implicit = nextEvent(viewer, 'session:updated', (p) => p.session !== null && p.session.id !== session.id);
    ok(await send(viewer, 'first after the end'));
    assert.equal((await implicit).session?.endedAt, null);
  });
});

describe('moderation log', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('stores every action (who, what, whom, when, reason, details), newest first, paged, for staff only', async () => {
    const host = await t.joined('Log Host', 'lobby', HOST);
    const viewer = await t.joined('Log Viewer');
    const { message } = ok<{ message: Message }>(await send(viewer, 'to be deleted'));
    const { message: kept } = ok<{ message: Message }>(await send(viewer, 'to be pinned'));

    const step = () => t.clock.advance(1000);
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: message.id }));
    step();
    ok(await call(host, 'mod:timeout', { roomId: 'lobby', userId: 'dev-log-viewer', seconds: 60, reason: 'calm' }));
    step();
    ok(await call(host, 'mod:ban', { roomId: 'lobby', userId: 'dev-log-viewer', reason: 'spam' }));
    step();
    ok(await call(host, 'mod:unban', { roomId: 'lobby', userId: 'dev-log-viewer' }));
    ok(await call(host, 'mod:unban', { roomId: 'lobby', userId: 'dev-log-viewer' })); // no ban: nothing logged
    step();
    ok(await call(host, 'room:pin', { roomId: 'lobby', messageId: kept.id }));
    step();
    ok(await call(host, 'room:pin', { roomId: 'lobby', messageId: null }));
    step();
    ok(await call(host, 'room:update', { roomId: 'lobby', slowModeSeconds: 10, title: 'Lobby 2' }));
    step();
    const { session } = ok<{ session: { id: string } }>(await call(host, 'session:start', { roomId: 'lobby' }));
    step();
    ok(await call(host, 'session:end', { roomId: 'lobby' }));

    const hostToken = await t.token('Log Host', HOST);
    const res = await http(t, 'GET', '/api/rooms/lobby/moderation', { token: hostToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const entries = res.body.entries as ModerationEntry[];
    assert.deepEqual(
      entries.map((e) => e.action),
      ['session_end', 'session_start', 'room_update', 'unpin', 'pin', 'unban', 'ban', 'timeout', 'delete'],
    );
    const byAction = Object.fromEntries(entries.map((e) => [e.action, e]));
    for (const e of entries) assert.equal(e.actor.id, 'dev-log-host');
    assert.deepEqual(
      { target: byAction.delete!.targetUserId, message: byAction.delete!.messageId },
      { target: 'dev-log-viewer', message: message.id },
    );
    assert.deepEqual(byAction.timeout!.details, { seconds: 60, until: new Date(Date.parse(byAction.timeout!.at) + 60_000).toISOString() });
    assert.equal(byAction.timeout!.reason, 'calm');
    assert.equal(byAction.ban!.reason, 'spam');
    assert.equal(byAction.ban!.targetUserId, 'dev-log-viewer');
    assert.equal(byAction.pin!.messageId, kept.id);
    assert.equal(byAction.unpin!.messageId, kept.id);
    assert.deepEqual(byAction.room_update!.details, { slowModeSeconds: 10, title: 'Lobby 2' });
    assert.deepEqual(byAction.session_start!.details, { sessionId: session.id });
    assert.deepEqual(byAction.session_end!.details, { sessionId: session.id });
    assert.ok(Date.parse(entries[0]!.at) > Date.parse(entries.at(-1)!.at), 'newest first, times from the clock');

    const page1 = await http(t, 'GET', '/api/rooms/lobby/moderation?limit=4', { token: hostToken });
    const page2 = await http(t, 'GET', `/api/rooms/lobby/moderation?limit=4&before=${page1.body.entries.at(-1).id}`, { token: hostToken });
    assert.deepEqual(
      [...page1.body.entries, ...page2.body.entries].map((e: ModerationEntry) => e.id),
      entries.slice(0, 8).map((e) => e.id),
    );

    const modToken = await t.token('Log Mod', ['moderator']);
    assert.equal((await http(t, 'GET', '/api/rooms/lobby/moderation', { token: modToken })).status, 200);
    const anonymous = await http(t, 'GET', '/api/rooms/lobby/moderation');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'unauthorized');
    const asViewer = await http(t, 'GET', '/api/rooms/lobby/moderation', { token: await t.token('Log Viewer') });
    assert.equal(asViewer.status, 403);
    assert.equal(asViewer.body.error.code, 'forbidden');
    for (const query of ['limit=0', 'limit=201', 'limit=x', 'before=abc', 'before=0']) {
      const bad = await http(t, 'GET', `/api/rooms/lobby/moderation?${query}`, { token: hostToken });
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body.error.code, 'invalid', query);
    }
    assert.equal((await http(t, 'GET', '/api/rooms/no-such-room/moderation', { token: hostToken })).status, 404);
  });

  it('a viewer cannot write to the log: refused actions leave no entry', async () => {
    const viewer = await t.joined('Log Viewer 2');
    const hostToken = await t.token('Log Host', HOST);
    const before = (await http(t, 'GET', '/api/rooms/lobby/moderation', { token: hostToken })).body.entries.length;
    refused(await call(viewer, 'mod:ban', { roomId: 'lobby', userId: 'dev-x' }), 'forbidden');
    refused(await call(viewer, 'session:start', { roomId: 'lobby' }), 'forbidden');
    await eventually(async () => {
      const now = (await http(t, 'GET', '/api/rooms/lobby/moderation', { token: hostToken })).body.entries.length;
      assert.equal(now, before);
    });
  });
});
