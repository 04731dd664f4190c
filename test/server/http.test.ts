/**
 * HTTP routes and their refusals (docs/protocol.md, "HTTP routes"), operations endpoints, CORS, and the
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
    // SQLite's WAL restarts (none in a WAL this small), observed once they happen.
    assert.match(metrics.body, /^live_chat_sqlite_wal_restart_ms_count 0$/m);
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
    assert.deepEqual(Object.keys(one.body.room).sort(), ['closesAt', 'createdAt', 'id', 'opensAt', 'pinned', 'private', 'slowModeSeconds', 'title']);
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
    writeFileSync(path.join(root, 'demo', 'index.html'), '<!doctype html><title>demo</title><live-chat></live-chat>');
    writeFileSync(path.join(root, 'demo', 'style.css'), 'body{}');
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

  it('serves the bundle (widget/dist, built by npm test) cross-origin', async () => {
    const res = await fetch(`${t.url}/live-chat.js`, { headers: { origin: 'https://site.example' } });
    assert.equal(res.status, 200, 'run npm run build first');
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    await res.arrayBuffer();
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

describe('client mistakes are 4xx, never 5xx', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { xpApiKey: 'x'.repeat(32) } });
  });
  after(() => t.destroy());

  it('answers 400 invalid for malformed percent-encoding in a path', async () => {
    for (const route of ['/api/rooms/%ZZ', '/api/rooms/%E0%A4%A/messages', '/api/rooms/%/leaderboard', '/api/users/%C0%AF/xp']) {
      const res = await http(t, 'GET', route);
      assert.equal(res.status, 400, route);
      assert.equal(res.body.error.code, 'invalid', route);
    }
    for (const route of ['/%ZZ', '/api/%ZZ', '/demo/%E0%A4%A']) {
      const res = await http(t, 'GET', route);
      assert.ok(res.status >= 400 && res.status < 500, `${route}: ${res.status}`);
    }
  });

  it('refuses metadata nested 5,000 deep with 400 and writes nothing of the batch', async () => {
    // Written as text: JSON.stringify itself overflows the stack on 5,000 levels.
    const deep = `${'{"d":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`;
    const headers = { 'x-api-key': 'x'.repeat(32) };
    const event = { id: 'deep-1', userId: 'deep-diver', kind: 'quiz', delta: 7 };
    const batch = JSON.stringify({ events: [{ ...event, id: 'deep-0', metadata: {} }, { ...event, metadata: '<deep>' }] });
    const refused = await http(t, 'POST', '/api/xp/events', { headers, body: batch.replace('"<deep>"', deep) });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'invalid');
    assert.match(refused.body.error.message, /^events\.1\.metadata: metadata may nest at most 8 levels/);
    assert.equal((await http(t, 'GET', '/api/users/deep-diver/xp')).body.totalXp, 0);
    // The same ids are still new: nothing of the refused batch was stored.
    const again = await http(t, 'POST', '/api/xp/events', {
      headers,
      body: { events: [{ ...event, id: 'deep-0' }, { ...event, metadata: { level: { ok: true } } }] },
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { acceptedIds: ['deep-0', 'deep-1'], duplicateIds: [] });
    assert.equal((await http(t, 'GET', '/api/users/deep-diver/xp')).body.totalXp, 14);
  });
});

describe('METRICS_TOKEN, SERVE_DEMO and TRUST_PROXY', () => {
  it('guards /metrics with a Bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    const t = await startServer({ config: { metricsToken: token } });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`, `Bearer ${token}x`]) {
        const res = await http(t, 'GET', '/metrics', { headers: authorization ? { authorization } : {} });
        assert.equal(res.status, 401, authorization);
        assert.equal(res.body.error.code, 'unauthorized');
        assert.match(res.headers.get('www-authenticate')!, /^Bearer/);
      }
      const ok = await http(t, 'GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /^live_chat_messages_total 0$/m);
      assert.equal((await http(t, 'GET', '/health')).status, 200, '/health stays open');
      assert.equal((await http(t, 'GET', '/ready')).status, 200, '/ready stays open');
    } finally {
      await t.destroy();
    }
  });

  it('does not serve the demo page with SERVE_DEMO=false', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'demo'));
    writeFileSync(path.join(root, 'demo', 'index.html'), '<!doctype html><title>demo</title>');
    const on = await startServer({ staticRoot: root, config: { serveDemo: true } });
    const off = await startServer({ staticRoot: root, config: { serveDemo: false } });
    try {
      assert.equal((await fetch(`${on.url}/`)).status, 200);
      const page = await fetch(`${off.url}/`);
      assert.equal(page.status, 404);
      assert.doesNotMatch(await page.text(), /<title>demo/);
      assert.equal((await fetch(`${off.url}/index.html`)).status, 404);
    } finally {
      await Promise.all([on.destroy(), off.destroy()]);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('hands TRUST_PROXY to Express', async () => {
    const plain = await startServer();
    const proxied = await startServer({ config: { trustProxy: ['10.0.0.0/8'] } });
    try {
      const trusts = (t: TestServer, address: string) =>
        (t.server.app.get('trust proxy fn') as (address: string, hop: number) => boolean)(address, 0);
      assert.equal(trusts(plain, '10.1.2.3'), false);
      assert.equal(trusts(proxied, '10.1.2.3'), true);
      assert.equal(trusts(proxied, '192.0.2.1'), false);
    } finally {
      await Promise.all([plain.destroy(), proxied.destroy()]);
    }
  });
});
