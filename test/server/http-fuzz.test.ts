/**
 * Fuzz of every HTTP route (server/http/api.ts, ops.ts, static.ts, and Engine.IO's
 * `/socket.io/`): thousands of malformed paths (bad percent-encoding, huge, raw and encoded
 * Unicode, traversal), queries (arrays, repeated and nested keys, huge numbers) and bodies
 * (wrong types, deep nesting, over the size limit, non-JSON under a JSON content type, other
 * content types and encodings). No answer may be 5xx, every JSON refusal carries a code of
 * ERROR_CODES, nothing is logged as a failed request, and the server still answers /health.
 *
 * Requests are written as raw bytes on a TCP socket, so paths reach the server exactly as
 * generated (fetch and node:http would normalise or refuse many of them). fast-check runs
 * with a fixed seed and bounded run counts: the same requests every time, well under a minute.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { pino } from 'pino';
import { ERROR_CODES } from 'live-chat-protocol';
import { http, startServer, type TestServer } from './helpers.ts';

const SEED = 20_261_201;
const XP_KEY = 'fuzz-xp-key-0123456789abcdef';

interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `req` as raw HTTP/1.1 bytes (Connection: close) and reads the whole answer (≤ 10 s). */
function send(port: number, req: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 10 s to ${req.method} ${req.path.slice(0, 200)}`));
    }, 10_000);
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const head = [`${req.method} ${req.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
    for (const [name, value] of Object.entries(req.headers ?? {})) head.push(`${name}: ${value}`);
    if (body) head.push(`Content-Length: ${body.length}`);
    socket.on('connect', () => {
      // latin1: a path's characters above U+00FF are sent as the UTF-8 bytes the generator made.
      socket.write(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'));
      if (body) socket.write(body);
    });
    socket.on('data', (d) => chunks.push(d));
    // The server may answer before reading the whole body (413) and reset the connection.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      if (!match) return reject(new Error(`no status line for ${req.method} ${req.path.slice(0, 200)}: ${JSON.stringify(raw.slice(0, 200))}`));
      const split = raw.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of raw.slice(0, split).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(match[1]), headers, body: split < 0 ? '' : raw.slice(split + 4) });
    });
  });
}

/** A path segment or string as raw bytes in a latin1 string (what `send` writes byte for byte). */
const rawUtf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
/** Percent-encodes every byte of the UTF-8 form of `s` that is not unreserved (lone surrogates become U+FFFD). */
const encodeBytes = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** One path segment: malformed percent-encoding, traversal, Unicode (raw or encoded), huge, or plain. */
const segment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2e%2e', '%2F', '%u1234', '%%', '%25', '%F0%9F%98', '%ED%A0%80', 'lobby%'),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('%', '%Z', '%G0', '%e0%80'), fc.string({ maxLength: 8 })).map(([a, bad, b]) => `${encodeBytes(a)}${bad}${encodeBytes(b)}`),
  fc.constantFrom('..', '.', '../..', '..%2f..', '%2e%2e%2f', '....//', '..\\..', '%5c..%5c', '/etc/passwd', '//', ';', '*', 'lobby;x', '~'),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeBytes),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => rawUtf8(s).replace(/[\s?#]/g, '_')),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeBytes),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => '%'.repeat(n)),
  fc.constantFrom('lobby', 'nope', 'dev-someone', 'a'.repeat(128), 's_unknown', '__proto__', 'constructor', 'hasOwnProperty'),
);

/** Route templates: every route of api.ts and ops.ts, the static ones, Engine.IO, and unknowns. */
const TEMPLATES = [
  '/health',
  '/ready',
  '/metrics',
  '/api/rooms',
  '/api/rooms/:a',
  '/api/rooms/:a/messages',
  '/api/rooms/:a/leaderboard',
  '/api/users/:a/xp',
  '/api/xp/events',
  '/api/dev/token',
  '/',
  '/:a',
  '/live-chat.js',
  '/live-chat.:a.js',
  '/:a/:b',
  '/api/:a',
  '/api/rooms/:a/:b',
  '/socket.io/',
] as const;

/** A path from a template with its `:a` / `:b` filled by fuzzed segments, sometimes with extras. */
const fuzzPath = fc
  .tuple(fc.constantFrom(...TEMPLATES), segment, segment, fc.constantFrom('', '', '', '/', '//', '/..', '/%ZZ', '/extra'))
  .map(([template, a, b, tail]) => template.replace(':a', a).replace(':b', b) + tail);

/** Query values: arrays, repeated and nested keys, huge and odd numbers, bad encodings. */
const queryValue = fc.oneof(
  fc.constantFrom('1e309', '-1e309', 'NaN', 'Infinity', '-0', '0x10', ' 5', '5 ', '1.5', '-1', '9007199254740993', '', '%ZZ', '%', 'null', 'true', '[]', '{}'),
  fc.integer({ min: 300, max: 5000 }).map((n) => '9'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeBytes),
  fc.bigInt().map(String),
  fc.double().map(String),
);
const queryKey = fc.constantFrom('limit', 'beforeSeq', 'sessionId', 'EIO', 'transport', 'sid', 't', 'limit[]', 'limit[0]', 'limit[a][b]', '__proto__', '__proto__[x]', 'constructor[prototype][x]', 'hasOwnProperty', '%ZZ', '');
const fuzzQuery = fc.array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 12 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

/** A JSON value of the shape of a route's body, with each field a random (often wrong) type. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, 0, -1, 1e308, '', 'x'.repeat(5000), [], {}, { __proto__: { polluted: true } }),
);
const shapedBody = fc.oneof(
  fc.record(
    { id: anyJson, title: anyJson, private: anyJson, opensAt: anyJson, closesAt: anyJson, name: anyJson, roles: anyJson },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      events: fc.oneof(
        anyJson,
        fc.array(
          fc.record({ id: anyJson, userId: anyJson, kind: anyJson, delta: anyJson, roomId: anyJson, metadata: anyJson }, { requiredKeys: [] }),
          { maxLength: 5 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.array(fc.record({ id: fc.string(), userId: fc.string(), kind: fc.string(), delta: anyJson, metadata: anyJson }), { maxLength: 3 }),
  anyJson,
).map((v) => JSON.stringify(v));

/** Nested `depth` deep, as text (JSON.stringify would overflow the stack first). */
const deepBody = fc.tuple(fc.integer({ min: 9, max: 100_000 }), fc.constantFrom('array', 'object', 'metadata')).map(([depth, kind]) => {
  if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nested = `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`;
  if (kind === 'object') return nested;
  return `{"events":[{"id":"deep","userId":"deep","kind":"k","delta":1,"metadata":${nested}}]}`;
});

/** A body over the 1 MB limit, or just under it. */
const hugeBody = fc.integer({ min: 900_000, max: 1_200_000 }).map((n) => `{"title":"${'x'.repeat(n)}","name":"n"}`);

/** Not JSON at all, or broken JSON. */
const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[1,2', 'undefined', "{'a':1}", '{"a":1}}', '\u0000', '\uFEFF{}', 'NaN', '{"a":1e999999}', '"\\ud800"'),
);

/** Content types and encodings a client may wrongly send. */
const contentHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({ 'Content-Type': 'application/json' }),
  fc.constantFrom<Record<string, string>>(
    { 'Content-Type': 'text/plain' },
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    { 'Content-Type': 'multipart/form-data; boundary=x' },
    { 'Content-Type': 'application/json; charset=utf-7' },
    { 'Content-Type': 'application/json; charset=latin1' },
    { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' },
    { 'Content-Type': 'application/json', 'Content-Encoding': 'br' },
    { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' },
    { 'Content-Type': 'application/*+json' },
    { 'Content-Type': 'application/vnd.api+json' },
    { 'Content-Type': ';;;' },
    { 'Content-Type': 'application/json; charset=' },
    {},
  ),
);

/** Authorization headers: none, the real ones, and junk. */
function authHeaders(hostToken: string) {
  return fc.constantFrom<Record<string, string>>(
    {},
    {},
    { 'X-Api-Key': XP_KEY },
    { 'X-Api-Key': XP_KEY, Authorization: `Bearer ${hostToken}` },
    { Authorization: `Bearer ${hostToken}` },
    { Authorization: 'Bearer not.a.jwt' },
    { Authorization: 'Basic Zm9vOmJhcg==' },
    { Authorization: 'Bearer' },
    { 'X-Api-Key': 'wrong' },
  );
}

describe('HTTP fuzz', () => {
  let t: TestServer;
  let port: number;
  let hostToken: string;
  const failedLogs: string[] = [];
  let requests = 0;

  before(async () => {
    // Collect error-level log lines: a 5xx is logged as `request failed`.
    const sink = new Writable({
      write(chunk, _enc, done) {
        const line = String(chunk);
        if (/"level":(50|60)/.test(line)) failedLogs.push(line.slice(0, 500));
        done();
      },
    });
    t = await startServer({ config: { xpApiKey: XP_KEY, corsOrigins: ['https://good.example'] }, logger: pino({ level: 'error' }, sink) });
    port = Number(new URL(t.url).port);
    hostToken = await t.token('Fuzz Host', ['host']);
  });
  after(() => t.destroy());

  /** Sends and checks one request: never 5xx, a JSON refusal has a wire code. */
  async function check(req: RawRequest): Promise<void> {
    requests++;
    const answer = await send(port, req);
    const what = `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers ?? {})} body ${String(req.body ?? '').slice(0, 200)}`;
    assert.ok(answer.status < 500, `${answer.status} for ${what}: ${answer.body.slice(0, 300)}`);
    const json =
      req.method !== 'HEAD' && /application\/json/.test(answer.headers['content-type'] ?? '') && !req.path.startsWith('/socket.io/');
    if (answer.status >= 400 && json && answer.headers['transfer-encoding'] === undefined) {
      const code = (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
      assert.ok(ERROR_CODES.includes(code as never), `code ${code} for ${what}`);
    }
  }

  it('answers malformed paths with 4xx (or 2xx), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzPath, fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE', 'PUT'), async (path, method) => {
        await check({ method, path, headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {}, body: method === 'POST' ? '{}' : undefined });
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('answers malformed queries with 4xx (or 2xx), never 5xx', async () => {
    const paths = fc.constantFrom('/api/rooms', '/api/rooms/lobby', '/api/rooms/lobby/messages', '/api/rooms/lobby/leaderboard', '/api/users/u/xp', '/metrics', '/health', '/ready', '/', '/live-chat.js', '/socket.io/');
    await fc.assert(
      fc.asyncProperty(paths, fuzzQuery, async (path, query) => {
        await check({ method: 'GET', path: `${path}?${query}` });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('answers malformed bodies of every POST route with 4xx (or 2xx), never 5xx', async () => {
    const routes = fc.constantFrom('/api/rooms', '/api/xp/events', '/api/dev/token', '/api/rooms/lobby', '/health');
    const small = fc.asyncProperty(routes, fc.oneof(shapedBody, notJson), contentHeaders, authHeaders(hostToken), async (path, body, content, auth) => {
      await check({ method: 'POST', path, headers: { ...content, ...auth }, body });
    });
    await fc.assert(small, { seed: SEED, numRuns: 1500 });
    const large = fc.asyncProperty(routes, fc.oneof(deepBody, hugeBody), authHeaders(hostToken), async (path, body, auth) => {
      await check({ method: 'POST', path, headers: { 'Content-Type': 'application/json', ...auth }, body });
    });
    await fc.assert(large, { seed: SEED, numRuns: 60 });
  });

  it('still answers /health, and logged no failed request', async () => {
    assert.ok(requests >= 4000, `only ${requests} requests were sent`);
    const health = await http(t, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.deepEqual(failedLogs, []);
  });
});
