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
  bundle = readFileSync(bundlePath, 'utf8');
});

test(`min+gzip of dist/live-chat.js is at most ${BUDGET} bytes`, () => {
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  console.log(`dist/live-chat.js: ${bundle.length} bytes minified, ${gzipped} bytes min+gzip (budget ${BUDGET})`);
  assert.ok(gzipped <= BUDGET, `${gzipped} bytes min+gzip is over the ${BUDGET}-byte budget by ${gzipped - BUDGET}`);
});

test('is one minified ES module with no process reference and no story or test code', () => {
  assert.doesNotMatch(bundle, /\bprocess\s*\./, 'a process.* reference is left');
  assert.doesNotMatch(bundle, /^\s*import\s|\bimport\s*\(/m, 'imports another module');
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
