/**
 * The shipped bundle, widget/dist/live-chat.js (issue 4, "Distribution"): one ES module within the
 * size budget, no `process` reference, no story/test code, only modules of the widget, the
 * protocol's rules and its few client packages, and safe to load twice on a page.
 * Builds it first, in this process, with widget/vite.config.ts: the module list is the build's own.
 * Run: node --conditions=live-chat-source --import tsx --test test/widget/bundle.node.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { build, type Rollup } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const widget = join(root, 'widget');
const bundlePath = join(widget, 'dist', 'live-chat.js');

/** min+gzip budget of dist/live-chat.js, in bytes (issue 4: Lit, the Socket.IO client and all our code). */
const BUDGET = 30 * 1024;

/** Packages the bundle may take code from: Lit, its context and nanostores (the Socket.IO client is ours: widget/transport/socket-client.ts). */
const ALLOWED_PACKAGES = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', '@lit/context', 'nanostores'];

let bundle: string;
/** Every module of the bundle's chunk, as a path relative to the repo root. */
let modules: string[];
/** The host-tools chunk's file name and modules (loaded only for hosts and moderators). */
let hostTools: { fileName: string; modules: string[] };
before(async () => {
  // Built as a test runner's environment would: the shipped file must not depend on NODE_ENV.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'test';
  const outputs = [await build({ root: widget, configFile: join(widget, 'vite.config.ts'), logLevel: 'warn' })].flat() as Rollup.RollupOutput[];
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  const chunk = outputs.flatMap((o) => o.output).find((o): o is Rollup.OutputChunk => o.type === 'chunk' && o.fileName === 'live-chat.js');
  assert.ok(chunk, 'the build made live-chat.js');
  modules = Object.keys(chunk.modules).map((id) => relative(root, id.replace(/^\0/, '')));
  const lazy = outputs.flatMap((o) => o.output).filter((o): o is Rollup.OutputChunk => o.type === 'chunk' && !o.isEntry);
  assert.equal(lazy.length, 1, `one lazy chunk: ${lazy.map((c) => c.fileName).join(', ')}`);
  hostTools = { fileName: lazy[0]!.fileName, modules: Object.keys(lazy[0]!.modules).map((id) => relative(root, id)) };
  bundle = readFileSync(bundlePath, 'utf8');
});

test(`min+gzip of dist/live-chat.js is at most ${BUDGET} bytes`, () => {
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  console.log(`dist/live-chat.js: ${bundle.length} bytes minified, ${gzipped} bytes min+gzip (budget ${BUDGET})`);
  assert.ok(gzipped <= BUDGET, `${gzipped} bytes min+gzip is over the ${BUDGET}-byte budget by ${gzipped - BUDGET}`);
});

test('is one minified ES module with no process reference and no story or test code', () => {
  assert.doesNotMatch(bundle, /\bprocess\s*\./, 'a process.* reference is left');
  assert.doesNotMatch(bundle, /^\s*import\s|\bimport\s*\{|\bfrom\s*"/m, 'imports another module statically');
  // One dynamic import: the host tools, for hosts and moderators.
  assert.deepEqual(bundle.match(/\bimport\s*\([^)]*\)/g), [`import("./${hostTools.fileName}")`]);
  assert.match(bundle, /export\s*\{[^}]*\bLiveChat\b/, 'exports LiveChat');
  // WebSocket only (vite.config.ts): no long-polling (XMLHttpRequest) or WebTransport code.
  // Lit's production build, whatever NODE_ENV said (vite.config.ts names the condition).
  assert.ok(!bundle.includes('Lit is in dev mode'), 'Lit\'s development build is in the bundle');
  for (const leak of ['FakeTransport', 'Maximiliana', 'Supercalifragilistic', 'XMLHttpRequest', 'new WebTransport']) {
    assert.ok(!bundle.includes(leak), `the bundle contains "${leak}"`);
  }
  assert.ok(bundle.split('\n').length < 5, 'minified (whitespace too)');
});

test('takes its modules from widget/, protocol/ (not the zod schemas) and the allowed packages only', () => {
  const origin = (id: string) => {
    const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1];
    if (pkg) return ALLOWED_PACKAGES.includes(pkg) ? null : `package ${pkg}`;
    if (id.startsWith('widget/') && !id.startsWith('widget/dist/')) return null;
    if (id.startsWith('protocol/') && id !== 'protocol/schemas.ts' && !id.startsWith('protocol/dist/')) return null;
    // Virtual modules of widget/vite.config.ts's plugins (e.g. the WebSocket-only transport table).
    if (id.startsWith('live-chat:')) return null;
    return 'outside widget/ and protocol/';
  };
  const refused = modules.map((id) => [id, origin(id)]).filter(([, why]) => why);
  assert.deepEqual(refused, [], `modules the bundle must not take:\n${refused.map(([id, why]) => `${id} (${why})`).join('\n')}`);
  assert.ok(modules.some((id) => id.startsWith('widget/')), `modules: ${modules.slice(0, 5).join(', ')}`);
  assert.ok(modules.some((id) => id.startsWith('protocol/rules/')), 'the protocol\'s rules are in it');
  assert.ok(!modules.some((id) => /(^|\/)(server|zod)\//.test(id)), 'never server/, never zod');
});

test('the host tools are a chunk of their own: none of their code is in the viewer\'s file', () => {
  assert.match(hostTools.fileName, /^host-tools\.[0-9a-f]{8}\.js$/);
  assert.deepEqual(modules.filter((id) => id.startsWith('widget/host-tools/')), [], 'host-tools modules in live-chat.js');
  assert.ok(hostTools.modules.length >= 4 && hostTools.modules.every((id) => id.startsWith('widget/host-tools/')), hostTools.modules.join(', '));
  for (const leak of ['Ban from room', 'lc-recap', 'Moderate ', 'SLOW_MODE']) assert.ok(!bundle.includes(leak), `live-chat.js contains "${leak}"`);
  const chunk = readFileSync(join(widget, 'dist', hostTools.fileName), 'utf8');
  assert.match(chunk, /^import\{[^}]+\}from"\.\/live-chat\.js";/, 'imports Lit and the widget\'s base from live-chat.js, no copy of its own');
  console.log(`${hostTools.fileName}: ${chunk.length} bytes minified, ${gzipSync(chunk, { level: 9 }).length} bytes min+gzip (not in the viewer's budget)`);
});

let browser: Browser;
const server = createServer((req, res) => {
  if (req.url?.startsWith('/live-chat.js')) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(bundle);
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><html lang="en"><body>
    <live-chat id="a" room="lobby"></live-chat>
    <script type="module" src="/live-chat.js"></script>
    <script type="module" src="/live-chat.js?loaded-again"></script>
  </body></html>`);
});

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
});

test('loading the script twice warns instead of throwing, and the element still works', async () => {
  const page = await browser.newPage();
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => (m.type() === 'warning' ? warnings : m.type() === 'error' ? errors : []).push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => document.querySelector('live-chat')?.shadowRoot?.querySelector('lc-banner'));
  assert.ok(warnings.some((w) => /<live-chat> is already defined/.test(w)), `warnings: ${warnings.join(' | ')}`);
  assert.ok(warnings.some((w) => /<lc-message-list> is already defined/.test(w)));
  assert.deepEqual(errors.filter((e) => !/set the server attribute/.test(e)), [], 'no page errors');
  // No server attribute: a visible error state (and a console error saying what to do).
  assert.ok(errors.some((e) => /set the server attribute/.test(e)), 'tells the developer what to do');
  const banner = await page.locator('[part~="banner"]').textContent();
  assert.match(banner ?? '', /not set up/);
  await page.close();
});

/** The built files of widget/dist, from another origin (as a chat server sends them: CORS, any site). */
const chatOrigin = createServer((req, res) => {
  const name = (req.url ?? '/').slice(1).split('?')[0]!;
  if (!/^[a-z-]+(\.[0-9a-f]{8})?\.js$/.test(name)) return void res.writeHead(404).end();
  try {
    const body = readFileSync(join(widget, 'dist', name));
    res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});

/**
 * A site page on another origin: `<live-chat>` from `src` on the chat origin, on a transport of
 * a few lines (the bundle has no fake) whose join ack names the user with `badges`.
 */
const sitePage = (src: string, badges: string[]) => `<!doctype html><html lang="en"><body>
  <script type="module">
    await import(${JSON.stringify(src)});
    const status = new Set();
    const me = { user: { id: 'u1', name: 'Ada', avatarUrl: null, badges: ${JSON.stringify(badges)} }, guest: false, canPost: true, progress: null, restriction: null };
    const room = { id: 'lobby', title: 'Lobby', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: new Date(0).toISOString(), pinned: null };
    const ok = (x = {}) => Promise.resolve({ ok: true, ...x });
    const el = document.createElement('live-chat');
    el.transport = {
      connect() { setTimeout(() => status.forEach((l) => l('connected'))); },
      disconnect() {},
      join: () => ok({ room, session: null, messages: [], me, leaderboard: [], stats: { roomId: 'lobby', viewers: 1, likes: 0 }, gap: false }),
      leave: ok, send: ok, like: ok, roomLike: ok, typing: ok, deleteMessage: ok, timeoutUser: ok, updateRoom: ok, request: ok,
      on: () => () => {},
      onStatus(l) { status.add(l); return () => status.delete(l); },
    };
    document.body.append(el);
  </script>
</body></html>`;

test('the host tools chunk loads from the chat origin for a host (either URL), and never for a viewer', async () => {
  await new Promise<void>((r) => chatOrigin.listen(0, '127.0.0.1', r));
  const chat = `http://127.0.0.1:${(chatOrigin.address() as AddressInfo).port}`;
  const hashed = JSON.parse(readFileSync(join(widget, 'dist', 'bundle.json'), 'utf8')).file as string;
  try {
    for (const [src, badges, chunk] of [
      [`${chat}/live-chat.js`, ['host'], hostTools.fileName],
      [`${chat}/${hashed}`, ['moderator'], hostTools.fileName.replace(/\.[0-9a-f]{8}\.js$/, hashed.slice('live-chat'.length))],
      [`${chat}/live-chat.js`, ['winner'], null],
    ] as const) {
      const page = await browser.newPage();
      const problems: string[] = [];
      const loaded: string[] = [];
      page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => loaded.push(r.url().replace(chat, '')));
      const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(sitePage(src, [...badges])));
      await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
      await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => document.querySelector('live-chat')?.stores.connection.$connection.get().status === 'online');
      if (chunk) {
        await page.waitForFunction(() => document.querySelector('live-chat')?.shadowRoot?.querySelector('lc-mod-panel')?.shadowRoot?.querySelector('[part~="mod-panel-toggle"]'));
        assert.ok(loaded.includes(`/${chunk}`), `${badges}: loaded ${loaded.join(', ')}`);
        // One copy of the widget: the chunk's elements share the page's <live-chat> module.
        assert.equal(loaded.filter((u) => u.startsWith('/live-chat')).length, 1, loaded.join(', '));
      } else {
        await page.waitForFunction(() => document.querySelector('live-chat')?.shadowRoot?.querySelector('lc-composer'));
        assert.ok(!loaded.some((u) => u.includes('host-tools')), `a viewer loaded ${loaded.join(', ')}`);
        assert.equal(await page.evaluate(() => !!customElements.get('lc-mod-panel')), false);
      }
      assert.deepEqual(problems, [], `${src}: console warnings or errors`);
      await page.close();
      await new Promise((r) => site.close(r));
    }
  } finally {
    await new Promise((r) => chatOrigin.close(r));
  }
});
