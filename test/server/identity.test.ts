/**
 * Identity (docs/protocol.md, "Identity"): verified tokens, refused forged and expired ones on the
 * socket handshake and over HTTP, required `exp`, 30 s of clock tolerance, `aud` / `iss` when
 * configured, guests, and dev tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { io as ioClient } from 'socket.io-client';
import { DEV_JWT_SECRET } from '../../server/config.ts';
import { call, http, startServer, type TestServer } from './helpers.ts';

const secret = new TextEncoder().encode(DEV_JWT_SECRET);

function sign(
  claims: Record<string, unknown>,
  options: { key?: Uint8Array; iat: number; exp: number | null; sub?: string; nbf?: number; aud?: string; iss?: string },
) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.sub ?? 'user-1')
    .setIssuedAt(options.iat);
  if (options.exp !== null) jwt.setExpirationTime(options.exp);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  if (options.aud !== undefined) jwt.setAudience(options.aud);
  if (options.iss !== undefined) jwt.setIssuer(options.iss);
  return jwt.sign(options.key ?? secret);
}

async function connectError(t: TestServer, token: unknown): Promise<string> {
  try {
    const socket = await t.connect(token as string);
    socket.disconnect();
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('tokens', () => {
  let t: TestServer;
  let nowS: number;
  before(async () => {
    t = await startServer();
    nowS = Math.floor(t.clock.now() / 1000);
  });
  after(() => t.destroy());

  it('accepts a valid token and takes name, picture and roles (badges) from it', async () => {
    const token = await sign(
      { name: 'Vera Valid', picture: 'https://cdn.example/vera.png', roles: ['winner', 'admin'] },
      { iat: nowS, exp: nowS + 600, sub: 'vera' },
    );
    const socket = await t.connect(token);
    const ack = await call(socket, 'room:join', { roomId: 'lobby' });
    assert.equal(ack.ok, true);
    assert.deepEqual(ack.me.user, { id: 'vera', name: 'Vera Valid', avatarUrl: 'https://cdn.example/vera.png', badges: ['winner'] });
    const res = await http(t, 'GET', '/api/rooms', { token });
    assert.equal(res.status, 200);
  });

  it('draws initials instead of a non-http picture', async () => {
    const token = await sign({ name: 'Js', picture: 'javascript:alert(1)' }, { iat: nowS, exp: nowS + 600, sub: 'js' });
    const ack = await call(await t.connect(token), 'room:join', { roomId: 'lobby' });
    assert.equal(ack.me.user.avatarUrl, null);
  });

  it('refuses a user id that is not text (a control character, an unpaired surrogate), and takes any other', async () => {
    for (const sub of ['nul\u0000id', 'tab\tid', 'lone\ud800id']) {
      const token = await sign({ name: 'Odd' }, { iat: nowS, exp: nowS + 600, sub });
      assert.equal(await connectError(t, token), 'unauthorized', JSON.stringify(sub));
      const res = await http(t, 'GET', '/api/rooms', { token });
      assert.equal(res.status, 401, JSON.stringify(sub));
      assert.equal(res.body.error.code, 'unauthorized');
    }
    const sub = 'ok "quoted" \\ {a,b} 😀 é';
    const token = await sign({ name: 'Odd' }, { iat: nowS, exp: nowS + 600, sub });
    const ack = await call(await t.connect(token), 'room:join', { roomId: 'lobby' });
    assert.equal(ack.me.user.id, sub);
  });

  it('refuses a forged token: connect_error unauthorized, HTTP 401', async () => {
    const forged = await sign({ name: 'Mallory', roles: ['host'] }, {
      iat: nowS,
      exp: nowS + 600,
      key: new TextEncoder().encode('not-the-server-secret-at-all!!'),
    });
    assert.equal(await connectError(t, forged), 'unauthorized');
    const res = await http(t, 'GET', '/api/rooms', { token: forged });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  it('refuses an expired token', async () => {
    const expired = await sign({ name: 'Old' }, { iat: nowS - 7200, exp: nowS - 60 });
    assert.equal(await connectError(t, expired), 'unauthorized');
    const res = await http(t, 'GET', '/api/rooms/lobby', { token: expired });
    assert.equal(res.status, 401);
  });

  it('refuses tokens that are not JWTs, unsigned tokens and non-string tokens', async () => {
    assert.equal(await connectError(t, 'not.a.jwt'), 'unauthorized');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    assert.equal(await connectError(t, unsigned), 'unauthorized');
    assert.equal(await connectError(t, 12345), 'unauthorized');
    assert.equal(await connectError(t, { sub: 'x' }), 'unauthorized');
    assert.equal((await http(t, 'GET', '/api/rooms', { headers: { authorization: 'Basic abc' } })).status, 401);
  });

  it('reads Authorization: Bearer on the handshake as HTTP does, and refuses a malformed header', async () => {
    const token = await sign({ name: 'Header Hana' }, { iat: nowS, exp: nowS + 600, sub: 'hana' });
    const viaHeader = async (authorization: string, authToken?: string) => {
      const socket = ioClient(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { authorization }, auth: authToken === undefined ? {} : { token: authToken } });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        const ack = await call(socket, 'room:join', { roomId: 'lobby' });
        return ack.me.guest ? 'guest' : ack.me.user.id;
      } catch (err) {
        return (err as Error).message;
      } finally {
        socket.disconnect();
      }
    };
    assert.equal(await viaHeader(`bearer  ${token}`), 'hana', 'the scheme is case-insensitive');
    assert.equal(await viaHeader(`Bearer ${token}`, ''), 'hana', 'an empty auth.token falls back to the header');
    assert.equal(await viaHeader(`Basic ${token}`), 'unauthorized');
    assert.equal(await viaHeader('Bearer'), 'unauthorized');
  });

  it('refuses a token without exp: it would never expire', async () => {
    const forever = await sign({ name: 'Forever' }, { iat: nowS, exp: null });
    assert.equal(await connectError(t, forever), 'unauthorized');
    const res = await http(t, 'GET', '/api/rooms', { token: forever });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  it('allows 30 s of clock skew on exp and nbf, and no more', async () => {
    const justExpired = await sign({ name: 'Skew' }, { iat: nowS - 600, exp: nowS - 20 });
    assert.equal(await connectError(t, justExpired), 'connected');
    assert.equal((await http(t, 'GET', '/api/rooms', { token: justExpired })).status, 200);
    const expired = await sign({ name: 'Skew' }, { iat: nowS - 600, exp: nowS - 40 });
    assert.equal(await connectError(t, expired), 'unauthorized');
    const soon = await sign({ name: 'Early' }, { iat: nowS, nbf: nowS + 20, exp: nowS + 600 });
    assert.equal(await connectError(t, soon), 'connected');
    const tooEarly = await sign({ name: 'Early' }, { iat: nowS, nbf: nowS + 60, exp: nowS + 600 });
    assert.equal(await connectError(t, tooEarly), 'unauthorized');
  });

  it('expires dev tokens after 12 h of the injected clock (plus the 30 s tolerance)', async () => {
    const token = await t.token('Clocky');
    const claims = decodeJwt(token);
    assert.equal(claims.exp! - claims.iat!, 12 * 3600);
    assert.equal(claims.aud, undefined, 'no JWT_AUDIENCE: no aud');
    assert.equal(await connectError(t, token), 'connected');
    t.clock.advance(12 * 3600 * 1000 + 20_000);
    assert.equal(await connectError(t, token), 'connected', 'inside the tolerance');
    t.clock.advance(20_000);
    assert.equal(await connectError(t, token), 'unauthorized');
  });
});

describe('JWT_AUDIENCE and JWT_ISSUER', () => {
  let t: TestServer;
  let nowS: number;
  before(async () => {
    t = await startServer({ config: { jwtAudience: 'live-chat', jwtIssuer: 'https://id.example/' } });
    nowS = Math.floor(t.clock.now() / 1000);
  });
  after(() => t.destroy());

  it('accepts a token for this audience from this issuer', async () => {
    const token = await sign({ name: 'Right' }, { iat: nowS, exp: nowS + 600, aud: 'live-chat', iss: 'https://id.example/' });
    assert.equal(await connectError(t, token), 'connected');
    assert.equal((await http(t, 'GET', '/api/rooms', { token })).status, 200);
  });

  it('refuses a missing or other audience, and a missing or other issuer', async () => {
    const cases = {
      'no aud': { iss: 'https://id.example/' },
      'other aud': { aud: 'another-app', iss: 'https://id.example/' },
      'no iss': { aud: 'live-chat' },
      'other iss': { aud: 'live-chat', iss: 'https://evil.example/' },
    };
    for (const [what, claims] of Object.entries(cases)) {
      const token = await sign({ name: 'Wrong' }, { iat: nowS, exp: nowS + 600, ...claims });
      assert.equal(await connectError(t, token), 'unauthorized', what);
      assert.equal((await http(t, 'GET', '/api/rooms', { token })).status, 401, what);
    }
  });

  it('mints dev tokens that carry the audience and issuer, so they pass', async () => {
    const res = await http(t, 'POST', '/api/dev/token', { body: { name: 'Dev Aud' } });
    const claims = decodeJwt(res.body.token);
    assert.deepEqual([claims.aud, claims.iss], ['live-chat', 'https://id.example/']);
    assert.equal(await connectError(t, res.body.token), 'connected');
  });
});

describe('dev tokens over HTTP', () => {
  it('mints a token whose sub comes from the name, with roles as badges', async () => {
    const t = await startServer();
    try {
      const a = await http(t, 'POST', '/api/dev/token', { body: { name: 'Ana María', roles: ['host'] } });
      const b = await http(t, 'POST', '/api/dev/token', { body: { name: 'Ana María' } });
      assert.equal(a.status, 200);
      assert.equal(decodeJwt(a.body.token).sub, decodeJwt(b.body.token).sub);
      assert.equal(a.body.userId, 'dev-ana-maria');
      const ack = await call(await t.connect(a.body.token), 'room:join', { roomId: 'lobby' });
      assert.deepEqual(ack.me.user.badges, ['host']);
      const bad = await http(t, 'POST', '/api/dev/token', { body: { name: '', roles: ['king'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid');
    } finally {
      await t.destroy();
    }
  });

  it('answers 404 when DEV_TOKENS=false', async () => {
    const t = await startServer({ config: { devTokens: false } });
    try {
      const res = await http(t, 'POST', '/api/dev/token', { body: { name: 'Nope' } });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    } finally {
      await t.destroy();
    }
  });
});

describe('guests', () => {
  it('refuses connections without a token when ALLOW_GUESTS=false', async () => {
    const t = await startServer({ config: { allowGuests: false } });
    try {
      assert.equal(await connectError(t, null), 'unauthorized');
      assert.equal(await connectError(t, await t.token('Member')), 'connected');
    } finally {
      await t.destroy();
    }
  });
});

describe('JWKS', () => {
  it('accepts tokens signed by a key of JWKS_URL and refuses others, and HS256 without a secret', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const jwksServer = createHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    const t = await startServer({ config: { jwksUrl, jwtSecret: null, devTokens: false } });
    try {
      const nowS = Math.floor(t.clock.now() / 1000);
      const rs = (key: CryptoKey) =>
        new SignJWT({ name: 'Idp User', roles: ['moderator'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
          .setSubject('idp|42')
          .setIssuedAt(nowS)
          .setExpirationTime(nowS + 600)
          .sign(key);
      const socket = await t.connect(await rs(privateKey));
      const ack = await call(socket, 'room:join', { roomId: 'lobby' });
      assert.deepEqual(ack.me.user, { id: 'idp|42', name: 'Idp User', avatarUrl: null, badges: ['moderator'] });
      assert.equal(await connectError(t, await rs(stranger.privateKey)), 'unauthorized');
      const hs = await sign({ name: 'Dev' }, { iat: nowS, exp: nowS + 600 });
      assert.equal(await connectError(t, hs), 'unauthorized', 'HS256 needs JWT_SECRET');
    } finally {
      await t.destroy();
      jwksServer.closeAllConnections();
      await new Promise((resolve) => jwksServer.close(resolve));
    }
  });
});
