/**
 * The widget bundle as the server sends it (server/http/static.ts): pre-compressed by
 * `Accept-Encoding`, the hashed URL cached for a year, `/live-chat.js` revalidated by ETag, and
 * the demo page only when `serveDemo` is on. Bytes are counted as they come off the socket
 * (node:http does not decompress), against the real build in widget/dist, which is built first
 * when missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { pino } from 'pino';
import { errorHandler, notFound } from '../../server/http/errors.ts';
import { IMMUTABLE, REVALIDATE, staticRouter } from '../../server/http/static.ts';
import { startServer, type TestServer } from './helpers.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(repo, 'widget', 'dist');

/** Bytes on the wire of the bundle with `Accept-Encoding: br`, for either URL (docs/widget.md). */
const BR_WIRE_BUDGET = 31_000;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body exactly as received (still encoded). */
  body: Buffer;
}

/** A GET (or HEAD) with exactly these headers; the body is not decoded. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The JSON error body of a 404. */
const errorCode = (a: Answer): string => (JSON.parse(a.body.toString('utf8')) as { error: { code: string } }).error.code;

type Sizes = { identity: number; br: number; gzip: number };
let build: { file: string; hash: string; bytes: Sizes; chunks: { file: string; bytes: Sizes }[]; stable?: { file: string; bytes: Sizes } };
/** live-chat.js, what `/live-chat.js` sends. */
let bundle: Buffer;
/** live-chat.<hash>.js: the same code, its lazy chunk imports pointed at the chunks' hashed twins. */
let hashedBundle: Buffer;
let t: TestServer;

before(async () => {
  const manifestPath = path.join(dist, 'bundle.json');
  if (!existsSync(manifestPath) || !existsSync(path.join(dist, JSON.parse(readFileSync(manifestPath, 'utf8')).file))) {
    const run = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(repo, 'widget'), encoding: 'utf8' });
    assert.equal(run.status, 0, `vite build failed:\n${run.stdout}\n${run.stderr}`);
  }
  build = JSON.parse(readFileSync(manifestPath, 'utf8'));
  bundle = readFileSync(path.join(dist, 'live-chat.js'));
  hashedBundle = readFileSync(path.join(dist, build.file));
  t = await startServer();
});

after(async () => {
  await t?.destroy();
});

describe('the build', () => {
  it('writes a hashed copy of live-chat.js with its .br and .gz and a manifest', () => {
    assert.match(build.file, /^live-chat\.[0-9a-f]{8}\.js$/);
    assert.equal(build.file, `live-chat.${build.hash}.js`);
    const [chunk, twin] = build.chunks.map((c) => c.file);
    assert.match(chunk ?? '', /^host-tools\.[0-9a-f]{8}\.js$/, 'the host tools are a chunk of their own');
    assert.equal(twin, `host-tools.${build.hash}.js`);
    assert.deepEqual(hashedBundle.toString(), bundle.toString().replace(`"./${chunk}"`, `"./${twin}"`), 'the same code, importing the twin');
    assert.match(readFileSync(path.join(dist, chunk!), 'utf8'), /from"\.\/live-chat\.js"/);
    assert.match(readFileSync(path.join(dist, twin!), 'utf8'), new RegExp(`from"\\./${build.file.replace(/\./g, '\\.')}"`));
    assert.deepEqual(brotliDecompressSync(readFileSync(path.join(dist, `${build.file}.br`))), hashedBundle);
    assert.deepEqual(gunzipSync(readFileSync(path.join(dist, `${build.file}.gz`))), hashedBundle);
    assert.equal(build.bytes.identity, hashedBundle.length);
    assert.deepEqual(build.stable?.bytes, { identity: bundle.length, br: readFileSync(path.join(dist, 'live-chat.js.br')).length, gzip: readFileSync(path.join(dist, 'live-chat.js.gz')).length });
    assert.ok(build.bytes.br < build.bytes.gzip && build.bytes.gzip < build.bytes.identity, JSON.stringify(build.bytes));
  });
});

describe('serving the bundle', () => {
  const urls = () => [`${t.url}/live-chat.js`, `${t.url}/${build.file}`];
  /** What a URL of {@link urls} sends. */
  const bytesOf = (url: string) => (url.endsWith('/live-chat.js') ? bundle : hashedBundle);

  it(`sends brotli when accepted, at most ${BR_WIRE_BUDGET} bytes on the wire for both URLs`, async () => {
    for (const url of urls()) {
      for (const accept of ['br', 'gzip, deflate, br, zstd', 'br;q=0.5, gzip']) {
        const res = await get(url, { 'accept-encoding': accept, origin: 'https://site.example' });
        assert.equal(res.status, 200, url);
        assert.equal(res.headers['content-encoding'], 'br', `${url} with ${accept}`);
        console.log(`${url.replace(t.url, '')} (${accept}): ${res.body.length} bytes on the wire`);
        assert.ok(res.body.length <= BR_WIRE_BUDGET, `${url}: ${res.body.length} bytes with br is over the ${BR_WIRE_BUDGET}-byte budget`);
        assert.deepEqual(brotliDecompressSync(res.body), bytesOf(url));
        assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
        assert.match(String(res.headers.vary), /Accept-Encoding/i);
        assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
        assert.equal(res.headers['access-control-allow-origin'], '*');
      }
    }
  });

  it('sends gzip when only gzip is accepted, identity when nothing (or only identity) is', async () => {
    for (const url of urls()) {
      const gz = await get(url, { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip', url);
      assert.equal(gz.body.length, url.endsWith('/live-chat.js') ? build.stable!.bytes.gzip : build.bytes.gzip);
      assert.deepEqual(gunzipSync(gz.body), bytesOf(url));
      console.log(`${url.replace(t.url, '')} (gzip): ${gz.body.length} bytes on the wire`);

      for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }] as Record<string, string>[]) {
        const plain = await get(url, headers);
        assert.equal(plain.status, 200);
        assert.equal(plain.headers['content-encoding'], undefined, `${url} with ${JSON.stringify(headers)}`);
        assert.deepEqual(plain.body, bytesOf(url));
        assert.match(String(plain.headers.vary), /Accept-Encoding/i);
      }
      console.log(`${url.replace(t.url, '')} (identity): ${bundle.length} bytes on the wire`);
    }
  });

  it('caches the hashed URL for a year, immutable; revalidates /live-chat.js', async () => {
    const hashed = await get(`${t.url}/${build.file}`, { 'accept-encoding': 'br' });
    assert.equal(hashed.headers['cache-control'], IMMUTABLE);
    assert.equal(IMMUTABLE, 'public, max-age=31536000, immutable');
    const plain = await get(`${t.url}/live-chat.js`, { 'accept-encoding': 'br' });
    assert.equal(plain.headers['cache-control'], REVALIDATE);
    assert.doesNotMatch(String(plain.headers['cache-control']), /immutable|max-age=[1-9]/);
    assert.ok(plain.headers.etag, 'an ETag to revalidate with');
  });

  it('answers 304 to If-None-Match with the ETag of the same encoding, 200 for another', async () => {
    for (const url of urls()) {
      const first = await get(url, { 'accept-encoding': 'br' });
      const etag = first.headers.etag!;
      assert.match(etag, new RegExp(`^"${build.hash}-br"$`));
      const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': etag });
      assert.equal(again.status, 304, url);
      assert.equal(again.body.length, 0);
      const otherEncoding = await get(url, { 'accept-encoding': 'gzip', 'if-none-match': etag });
      assert.equal(otherEncoding.status, 200, 'a br ETag does not validate the gzip bytes');
      assert.equal(otherEncoding.headers.etag, `"${build.hash}-gzip"`);
    }
  });

  it('serves the lazy chunks (the host tools) like the hashed bundle: immutable, pre-compressed, cross-origin', async () => {
    assert.equal(build.chunks.length, 2);
    for (const chunk of build.chunks) {
      const file = readFileSync(path.join(dist, chunk.file));
      const br = await get(`${t.url}/${chunk.file}`, { 'accept-encoding': 'br', origin: 'https://site.example' });
      assert.equal(br.status, 200, chunk.file);
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(br.body.length, chunk.bytes.br);
      assert.deepEqual(brotliDecompressSync(br.body), file);
      assert.equal(br.headers['cache-control'], IMMUTABLE);
      assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(br.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.equal(br.headers['access-control-allow-origin'], '*');
      assert.equal(br.headers.etag, `"${chunk.file}-br"`);
      const plain = await get(`${t.url}/${chunk.file}`);
      assert.deepEqual(plain.body, file);
      console.log(`/${chunk.file}: ${chunk.bytes.br} bytes br, ${chunk.bytes.gzip} gzip, ${chunk.bytes.identity} identity`);
    }
    // /host-tools.js: the chunk /live-chat.js imports (not the hashed twin), revalidated.
    const stable = build.chunks.find((c) => c.file !== `host-tools.${build.hash}.js`)!;
    const named = await get(`${t.url}/host-tools.js`, { 'accept-encoding': 'br' });
    assert.equal(named.status, 200);
    assert.deepEqual(brotliDecompressSync(named.body), readFileSync(path.join(dist, stable.file)));
    assert.equal(named.headers['cache-control'], REVALIDATE);
    assert.equal(named.headers.etag, `"${stable.file}-br"`);
    assert.equal((await get(`${t.url}/host-tools.js`, { 'accept-encoding': 'br', 'if-none-match': named.headers.etag! })).status, 304);
    assert.equal((await get(`${t.url}/nothing-here.js`)).status, 404);
    for (const name of ['host-tools.00000000.js', 'other.12345678.js']) {
      const res = await get(`${t.url}/${name}`);
      assert.equal(res.status, 404, name);
      assert.equal(errorCode(res), 'not_found');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get(`${t.url}/${build.file}`, { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(Number(head.headers['content-length']), build.bytes.br);
    assert.equal(head.body.length, 0);
  });

  it('answers a range within the file 206, one past its end 416 and a failed If-Match 412 (If-Unmodified-Since ignored), without the file\'s encoding or cache lifetime; the demo\'s files too', async () => {
    for (const url of urls()) {
      const part = await get(url, { 'accept-encoding': 'gzip', range: 'bytes=0-9' });
      assert.equal(part.status, 206, url);
      assert.equal(part.body.length, 10);
      assert.equal(part.headers['content-range'], `bytes 0-9/${build.bytes.gzip}`);

      const past = await get(url, { 'accept-encoding': 'gzip', range: 'bytes=99999999-' });
      assert.equal(past.status, 416, url);
      assert.equal(past.headers['content-range'], `bytes */${build.bytes.gzip}`);
      const failed = await get(url, { 'accept-encoding': 'br', 'if-match': '"nope"' });
      assert.equal(failed.status, 412, url);
      const unmodified = await get(url, { 'accept-encoding': 'br', 'if-unmodified-since': 'Wed, 01 Jan 2020 00:00:00 GMT' });
      assert.equal(unmodified.status, 200, 'If-Unmodified-Since is ignored: the file has no modification date, its ETag validates it');
      for (const res of [past, failed]) {
        assert.equal(res.headers['content-encoding'], undefined, 'the JSON body is not compressed');
        assert.equal(res.headers['cache-control'], undefined, 'a refusal is not cached as the file');
        assert.doesNotMatch(String(res.headers.etag), new RegExp(build.hash), 'not the file\'s ETag');
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(JSON.parse(res.body.toString()).error.code, 'invalid');
      }
    }
    // The demo's files (express.static) go through the same error handler.
    const demo = await get(`${t.url}/`, { range: 'bytes=99999999-' });
    assert.equal(demo.status, 416);
    assert.match(String(demo.headers['content-range']), /^bytes \*\/\d+$/);
    assert.match(String(demo.headers['content-type']), /^application\/json/);
  });

  it('answers 404 not_found for a hash that is not the current build', async () => {
    const other = build.hash === '00000000' ? '11111111' : '00000000';
    for (const name of [`live-chat.${other}.js`, `live-chat.${build.hash}.js.br`, 'live-chat.js.gz', 'bundle.json', 'esm/live-chat.js']) {
      const res = await get(`${t.url}/${name}`, { 'accept-encoding': 'br' });
      assert.equal(res.status, 404, name);
      assert.equal(errorCode(res), 'not_found', name);
    }
    const res = await get(`${t.url}/live-chat.${other}.js`);
    assert.match(res.body.toString(), new RegExp(build.file.replace(/\./g, '\\.')), 'names the build this server has');
  });
});

describe('the demo and a missing build', () => {
  /** A bare app: the static router and the server's own 404 and error handlers. */
  async function listen(options: Parameters<typeof staticRouter>[0]): Promise<{ url: string; server: Server }> {
    const app = express();
    app.use(staticRouter(options));
    app.use(notFound);
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  it('serves the demo at / by default', async () => {
    const page = await get(`${t.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.body.toString(), /<live-chat/);
  });

  it('does not serve the demo when serveDemo is false: / falls through to the JSON 404', async () => {
    const { url, server } = await listen({ serveDemo: false });
    try {
      for (const file of ['/', '/index.html']) {
        const res = await get(`${url}${file}`);
        assert.equal(res.status, 404, file);
        assert.equal(errorCode(res), 'not_found');
      }
      assert.equal((await get(`${url}/live-chat.js`, { 'accept-encoding': 'br' })).status, 200, 'the bundle is still served');
    } finally {
      server.close();
    }
  });

  it('says to run the build when the bundle is not built, and that demo/index.html is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'live-chat-static-'));
    const { url, server } = await listen({ root: empty, dist: empty });
    try {
      for (const file of ['/live-chat.js', `/${build.file}`]) {
        const res = await get(`${url}${file}`);
        assert.equal(res.status, 404, file);
        assert.equal(errorCode(res), 'not_found');
        assert.match(res.body.toString(), /npm run build/);
      }
      const page = await get(`${url}/`);
      assert.equal(page.status, 404);
      assert.match(page.body.toString(), /demo\/index\.html/);
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
