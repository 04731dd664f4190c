/**
 * The shipped bundle, dist/live-chat.js (issue 4, "Distribution"): one ES module within the
 * size budget, no `process` reference, no story/test code, and safe to load twice on a page.
 * Builds it first when it is missing or older than a widget source file.
 * Run: node --import tsx --test test/widget/bundle.node.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundlePath = join(root, 'widget', 'dist', 'live-chat.js');

/** min+gzip budget of dist/live-chat.js, in bytes (issue 4: Lit, socket.io-client and all our code). */
const BUDGET = 30 * 1024;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

let bundle: string;
before(() => {
  const stale = !existsSync(bundlePath) || statSync(bundlePath).mtimeMs < Math.max(newestSource(join(root, 'widget')), statSync(join(root, 'widget', 'vite.config.ts')).mtimeMs);
  if (stale) {
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(root, 'widget'), encoding: 'utf8' });
    assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
  }
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
  for (const leak of ['FakeTransport', 'Maximiliana', 'Supercalifragilistic', 'XMLHttpRequest', 'new WebTransport']) {
    assert.ok(!bundle.includes(leak), `the bundle contains "${leak}"`);
  }
  assert.ok(bundle.split('\n').length < 5, 'minified (whitespace too)');
});

test('takes no server module: the widget imports server/protocol.ts for types only', async () => {
  // esbuild resolves the same graph as the build from widget/live-chat.ts and lists every
  // module it kept; type-only imports are erased, so no path under server/ may be among them.
  // (FakeTransport imports the server's pure level curve and board order; it must stay out.)
  const { build } = await import('esbuild');
  const { metafile } = await build({
    entryPoints: [join(root, 'widget', 'live-chat.ts')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.some((i) => i.startsWith('widget/')), `inputs: ${inputs.slice(0, 5).join(', ')}`);
  assert.deepEqual(inputs.filter((i) => !i.startsWith('widget/') && !i.startsWith('node_modules/')), []);
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
