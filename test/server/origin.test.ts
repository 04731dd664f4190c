/**
 * `Origin` on the Socket.IO handshake (server/http/cors.ts `handshakeAllows`, wired as
 * Socket.IO's `allowRequest` in server/app.ts): with `CORS_ORIGINS` a list, a WebSocket
 * upgrade or a polling handshake from another origin is refused, a listed origin, the
 * server's own origin and a request without `Origin` (a non-browser client) pass; `*` lets
 * every origin in. Refusals and connections are counted in /metrics.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { io as connectClient } from 'socket.io-client';
import { http, startServer, type TestServer } from './helpers.ts';

const GOOD = 'https://www.example.com';
const EVIL = 'https://evil.example';

/** Connects over WebSocket only, sending `origin` (none when undefined); resolves `connected` or the error. */
async function wsConnect(t: TestServer, origin: string | undefined, token?: string): Promise<string> {
  const socket = connectClient(t.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: token ? { token } : {},
    extraHeaders: origin === undefined ? {} : { origin },
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(`refused: ${err.message}`));
    });
  } finally {
    socket.disconnect();
  }
}

/** A raw WebSocket upgrade of Engine.IO; resolves the HTTP status (101: switched). */
function rawUpgrade(t: TestServer, origin: string | undefined): Promise<number> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path: '/socket.io/?EIO=4&transport=websocket',
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        ...(origin === undefined ? {} : { origin }),
      },
    });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

/** The polling handshake's status for `origin`. */
async function pollingStatus(t: TestServer, origin: string | undefined): Promise<number> {
  const res = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: origin === undefined ? {} : { origin } });
  await res.text();
  return res.status;
}

/** The value of one sample line of /metrics, 0 when absent. */
async function sample(t: TestServer, line: string): Promise<number> {
  const text = (await http(t, 'GET', '/metrics')).body as string;
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('Origin with CORS_ORIGINS set', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { corsOrigins: [GOOD] } });
  });
  after(() => t.destroy());

  it('refuses a WebSocket handshake from another origin, and counts it', async () => {
    const before = await sample(t, 'live_chat_handshakes_refused_total{reason="origin"}');
    assert.match(await wsConnect(t, EVIL), /^refused/);
    assert.equal(await rawUpgrade(t, EVIL), 400);
    assert.equal(await rawUpgrade(t, 'null'), 400, 'sandboxed frames and file: pages');
    assert.equal(await sample(t, 'live_chat_handshakes_refused_total{reason="origin"}'), before + 3);
  });

  it('refuses a polling handshake from another origin with 403', async () => {
    assert.equal(await pollingStatus(t, EVIL), 403);
    assert.equal(await pollingStatus(t, 'http://www.example.com'), 403, 'the scheme counts');
    assert.equal(await pollingStatus(t, `${GOOD}:8443`), 403, 'the port counts');
  });

  it('lets a listed origin, the server\'s own origin and a client without Origin in', async () => {
    const connectionsBefore = await sample(t, 'live_chat_connections_total');
    assert.equal(await wsConnect(t, GOOD), 'connected');
    assert.equal(await wsConnect(t, t.url), 'connected', 'same origin (the demo page)');
    assert.equal(await wsConnect(t, undefined), 'connected', 'no Origin: the bench, a server');
    assert.equal(await rawUpgrade(t, GOOD), 101);
    assert.equal(await pollingStatus(t, GOOD), 200);
    assert.equal(await pollingStatus(t, undefined), 200);
    assert.equal(await sample(t, 'live_chat_connections_total'), connectionsBefore + 3);
  });

  it('does not take another port on the same host for the same origin', async () => {
    const other = new URL(t.url);
    other.port = String(Number(other.port) === 65535 ? 1 : Number(other.port) + 1);
    assert.match(await wsConnect(t, other.origin), /^refused/);
  });

  it('counts handshakes refused for a bad token as unauthorized', async () => {
    const before = await sample(t, 'live_chat_handshakes_refused_total{reason="unauthorized"}');
    assert.equal(await wsConnect(t, GOOD, 'not.a.jwt'), 'refused: unauthorized');
    assert.equal(await sample(t, 'live_chat_handshakes_refused_total{reason="unauthorized"}'), before + 1);
  });
});

describe('Origin with CORS_ORIGINS=*', () => {
  it('lets every origin in', async () => {
    const t = await startServer({ config: { corsOrigins: '*' } });
    try {
      assert.equal(await wsConnect(t, EVIL), 'connected');
      assert.equal(await rawUpgrade(t, EVIL), 101);
      assert.equal(await pollingStatus(t, EVIL), 200);
      assert.equal(await sample(t, 'live_chat_handshakes_refused_total{reason="origin"}'), 0);
    } finally {
      await t.destroy();
    }
  });
});

describe('Origin with an empty CORS_ORIGINS (production default: same origin only)', () => {
  it('refuses other origins and lets the server\'s own page in', async () => {
    const t = await startServer({ config: { corsOrigins: [] } });
    try {
      assert.match(await wsConnect(t, EVIL), /^refused/);
      assert.equal(await wsConnect(t, t.url), 'connected');
    } finally {
      await t.destroy();
    }
  });
});
