/**
 * HTTP routes and their refusals (DESIGN.md "HTTP"), operations endpoints, CORS, and the
 * static demo and bundle.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, http, send, startServer, tempDir, type TestServer } from './helpers.ts';

describe('operations', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('answers /health, /ready and /metrics', async () => {
    assert.deepEqual((await http(t, 'GET', '/health')).body, { status: 'ok' });
    const ready = await http(t, 'GET', '/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { sqlite: 'ok', memory: 'ok' });
    const a = await t.joined('Metric Mo');
    assert.equal((await send(a, 'count me')).ok, true);
    const metrics = await http(t, 'GET', '/metrics');
    assert.match(metrics.body, /^live_chat_messages_total 1$/m);
    assert.match(metrics.body, /^live_chat_sockets 1$/m);
    assert.match(metrics.body, /^live_chat_coins_awarded_total 1$/m);
  });

  it('answers 503 on /ready when SQLite is gone', async () => {
    const other = await startServer();
    await other.server.ledger.close();
    const ready = await http(other, 'GET', '/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.checks.sqlite, 'down');
    await other.destroy();
  });
});

describe('rooms API', () => {
  let t: TestServer;
  let host: string;
  before(async () => {
    t = await startServer();
    host = await t.token('Hostess', ['host']);
  });
  after(() => t.destroy());

  it('lists and reads rooms', async () => {
    const list = await http(t, 'GET', '/api/rooms');
    assert.equal(list.status, 200);
    assert.ok(list.body.rooms.some((r: { id: string }) => r.id === 'lobby'));
    const one = await http(t, 'GET', '/api/rooms/lobby');
    assert.deepEqual(Object.keys(one.body.room).sort(), ['closesAt', 'createdAt', 'id', 'opensAt', 'private', 'slowModeSeconds', 'title']);
  });

  it('creates rooms for hosts only', async () => {
    const noToken = await http(t, 'POST', '/api/rooms', { body: { title: 'X' } });
    assert.equal(noToken.status, 401);
    const user = await http(t, 'POST', '/api/rooms', { body: { title: 'X' }, token: await t.token('Just User') });
    assert.equal(user.status, 403);
    assert.equal(user.body.error.code, 'forbidden');
    const made = await http(t, 'POST', '/api/rooms', { body: { title: 'Friday Draw ✨' }, token: host });
    assert.equal(made.status, 201);
    assert.match(made.body.room.id, /^friday-draw-[0-9a-f]{6}$/);
    const named = await http(t, 'POST', '/api/rooms', { body: { id: 'named', title: 'Named' }, token: host });
    assert.equal(named.status, 201);
    const taken = await http(t, 'POST', '/api/rooms', { body: { id: 'named', title: 'Again' }, token: host });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'invalid');
  });

  it('refuses bad room bodies with the reason', async () => {
    const missing = await http(t, 'POST', '/api/rooms', { body: { private: 'yes' }, token: host });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'invalid');
    assert.match(missing.body.error.message, /^title: /);
    const long = await http(t, 'POST', '/api/rooms', { body: { title: 'x'.repeat(500) }, token: host });
    assert.equal(long.status, 413);
    assert.equal(long.body.error.code, 'too_long');
    const window = await http(t, 'POST', '/api/rooms', {
      body: { title: 'Backwards', opensAt: '2030-02-01T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' },
      token: host,
    });
    assert.equal(window.status, 400);
    const json = await http(t, 'POST', '/api/rooms', { body: '{"title": ', token: host });
    assert.equal(json.status, 400);
    assert.equal(json.body.error.code, 'invalid');
    const huge = await http(t, 'POST', '/api/rooms', { body: JSON.stringify({ title: 'x'.repeat(2_000_000) }), token: host });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'too_long');
  });

  it('answers 404 for unknown rooms and routes, 400 for bad queries', async () => {
    for (const route of ['/api/rooms/nope', '/api/rooms/..%2F..', '/api/rooms/nope/messages', '/api/rooms/nope/leaderboard', '/api/nothing']) {
      const res = await http(t, 'GET', route);
      assert.equal(res.status, 404, route);
      assert.equal(res.body.error.code, 'not_found', route);
    }
    for (const query of ['limit=201', 'limit=0', 'limit=abc', 'beforeSeq=-3']) {
      const res = await http(t, 'GET', `/api/rooms/lobby/messages?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalid', query);
    }
    const lb = await http(t, 'GET', '/api/rooms/lobby/leaderboard?sessionId=s_unknown');
    assert.equal(lb.status, 404);
  });

  it('reads the leaderboard and a user\'s XP', async () => {
    const empty = await http(t, 'GET', '/api/rooms/named/leaderboard');
    assert.deepEqual(empty.body, { sessionId: null, entries: [] });
    const a = await t.joined('Board Bea', 'lobby');
    const sent = await send(a, 'hello');
    assert.equal(sent.ok, true);
    const join = await call(a, 'room:join', { roomId: 'lobby' });
    const lb = await http(t, 'GET', '/api/rooms/lobby/leaderboard');
    assert.equal(lb.body.sessionId, join.session.id);
    assert.deepEqual(lb.body.entries, [{ rank: 1, userId: 'dev-board-bea', name: 'Board Bea', avatarUrl: null, coins: 1, messages: 1 }]);
    const same = await http(t, 'GET', `/api/rooms/lobby/leaderboard?sessionId=${join.session.id}`);
    assert.deepEqual(same.body, lb.body);
    const xp = await http(t, 'GET', '/api/users/dev-board-bea/xp');
    assert.equal(xp.status, 200);
    assert.deepEqual(
      { userId: xp.body.userId, totalXp: xp.body.totalXp, level: xp.body.level, dailyXp: xp.body.dailyXp, coinBalance: xp.body.coinBalance },
      { userId: 'dev-board-bea', totalXp: 1, level: 1, dailyXp: 1, coinBalance: 1 },
    );
    const nobody = await http(t, 'GET', '/api/users/nobody/xp');
    assert.equal(nobody.body.totalXp, 0);
  });
});

describe('cross-origin and static files', () => {
  let t: TestServer;
  let root: string;
  before(async () => {
    root = tempDir();
    mkdirSync(path.join(root, 'demo'));
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'demo', 'index.html'), '<!doctype html><title>demo</title><live-chat></live-chat>');
    writeFileSync(path.join(root, 'demo', 'style.css'), 'body{}');
    writeFileSync(path.join(root, 'dist', 'live-chat.js'), 'export const liveChat = 1;');
    t = await startServer({ staticRoot: root });
  });
  after(async () => {
    await t.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the demo at / and its files', async () => {
    const page = await fetch(`${t.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<live-chat>/);
    assert.equal((await fetch(`${t.url}/style.css`)).status, 200);
  });

  it('serves the bundle cross-origin', async () => {
    const res = await fetch(`${t.url}/live-chat.js`, { headers: { origin: 'https://site.example' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(await res.text(), 'export const liveChat = 1;');
  });

  it('answers preflights and API calls from other origins', async () => {
    const pre = await fetch(`${t.url}/api/rooms`, {
      method: 'OPTIONS',
      headers: { origin: 'https://site.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-headers')!, /Authorization/);
    const api = await fetch(`${t.url}/api/rooms`, { headers: { origin: 'https://site.example' } });
    assert.equal(api.headers.get('access-control-allow-origin'), '*');
    const engine = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://site.example' } });
    assert.equal(engine.status, 200);
    assert.ok(engine.headers.get('access-control-allow-origin'));
  });

  it('answers 404 with a clear text when the bundle or demo is missing', async () => {
    const emptyRoot = tempDir();
    const bare = await startServer({ staticRoot: emptyRoot });
    try {
      const res = await fetch(`${bare.url}/live-chat.js`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /npm run build/);
      const page = await fetch(`${bare.url}/`);
      assert.equal(page.status, 404);
      assert.match(await page.text(), /demo\/index\.html/);
    } finally {
      await bare.destroy();
      rmSync(emptyRoot, { recursive: true, force: true });
    }
  });

  it('allows only CORS_ORIGINS when set', async () => {
    const strict = await startServer({ config: { corsOrigins: ['https://good.example'] } });
    try {
      const good = await fetch(`${strict.url}/api/rooms`, { headers: { origin: 'https://good.example' } });
      assert.equal(good.headers.get('access-control-allow-origin'), 'https://good.example');
      const bad = await fetch(`${strict.url}/api/rooms`, { headers: { origin: 'https://evil.example' } });
      assert.equal(bad.headers.get('access-control-allow-origin'), null);
      const engine = await fetch(`${strict.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
      assert.equal(engine.headers.get('access-control-allow-origin'), null);
    } finally {
      await strict.destroy();
    }
  });
});
