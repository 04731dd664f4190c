/**
 * The render benchmark (issue 10, item 9): `<live-chat>` (the shipped bundle, built here)
 * against a plain page that appends a `<div>` per message for the same stream, in the same
 * run and the same Chromium, at RATE messages a second for SECONDS seconds (default 100 and
 * 60; `RENDER_RATE`, `RENDER_SECONDS`). Both keep at most 200 messages on screen. Measured, not
 * asserted: main-thread time (CDP `TaskDuration`), frames a second (requestAnimationFrame),
 * long tasks (> 50 ms, PerformanceObserver) and their longest, style recalculations
 * (`RecalcStyleCount`), and elements per message (DOM elements in the widget, through its
 * shadow roots, per message shown). Prints a table with the widget / plain ratio; script,
 * style and layout time (CDP `ScriptDuration`, `RecalcStyleDuration`, `LayoutDuration`) say
 * where the main-thread time went. `RENDER_PROFILE=DIR` also writes a CPU profile per page.
 *
 * Run: `npm run bench:render` (or node --conditions=live-chat-source --import tsx bench/render.ts).
 * The stream comes from an in-page transport (the `transport` property), so no server runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RATE = Number(process.env.RENDER_RATE ?? 100);
const SECONDS = Number(process.env.RENDER_SECONDS ?? 60);
const PROFILE = process.env.RENDER_PROFILE;

/** The stream both pages show: message n of a few authors, as the server would send it. */
const STREAM = `
  const names = ['Ana', 'Bo', 'Cleo', 'Dev', 'Eve', 'Finn', 'Gia', 'Hal'];
  const texts = ['what a goal', 'no way!!', 'hello from Oslo', 'is the stream lagging?', 'GG', 'that was close https://example.com/replay', '@Ana agreed', 'who is playing next?'];
  window.messageOf = (n) => ({ id: 'm' + n, seq: n, roomId: 'lobby', clientId: 'c' + n, user: { id: 'u' + (n % 8), name: names[n % 8], avatarUrl: null, badges: n % 50 ? [] : ['host'] },
    text: texts[n % texts.length] + ' #' + n, createdAt: new Date().toISOString(), likes: n % 7, reward: null });
  window.measure = { frames: 0, longTasks: 0, longest: 0 };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { measure.longTasks++; measure.longest = Math.max(measure.longest, e.duration); } }).observe({ type: 'longtask' });
  const frame = () => { measure.frames++; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  window.run = (rate, seconds, push) => new Promise((done) => {
    let n = 0; const total = rate * seconds; const start = performance.now();
    const tick = () => { const due = Math.min(total, Math.floor((performance.now() - start) / 1000 * rate)); while (n < due) push(messageOf(++n)); if (n < total) setTimeout(tick, 1000 / rate); else setTimeout(done, 300); };
    tick();
  });
`;

const PLAIN = `<!doctype html><meta charset="utf-8"><style>body{margin:0;font:14px system-ui}#log{height:640px;width:420px;overflow:auto}</style>
<div id="log"></div><script>${STREAM}
  window.start = () => run(${RATE}, ${SECONDS}, (m) => {
    const log = document.getElementById('log');
    const d = document.createElement('div'); d.textContent = m.user.name + ': ' + m.text; log.append(d);
    if (log.childElementCount > 200) log.firstElementChild.remove();
    log.scrollTop = log.scrollHeight;
  });
  window.elementsPerMessage = () => (document.getElementById('log').querySelectorAll('*').length + 1) / document.getElementById('log').childElementCount;
</script>`;

const WIDGET = `<!doctype html><meta charset="utf-8"><style>body{margin:0}live-chat{display:block;height:640px;width:420px}</style>
<script>globalThis.process = { env: { NODE_ENV: 'production' } };</script>
<live-chat room="lobby" hide-leaderboard></live-chat>
<script type="module">${STREAM}
  await import('/live-chat.js');
  const el = document.querySelector('live-chat');
  const listeners = new Map(); const status = new Set();
  const ok = async (x = {}) => ({ ok: true, ...x });
  el.transport = {
    connect() { setTimeout(() => status.forEach((l) => l('connected'))); }, disconnect() {},
    join: () => ok({ room: { id: 'lobby', title: 'Busy room', private: false, opensAt: null, closesAt: null, slowModeSeconds: 0, createdAt: new Date(0).toISOString(), pinned: null },
      session: null, messages: [], me: { user: { id: 'me', name: 'Me', avatarUrl: null, badges: [] }, guest: false, canPost: true, progress: null },
      leaderboard: [], stats: { roomId: 'lobby', viewers: 5000, likes: 0 }, gap: false, limits: { smallRoomLimit: 200 } }),
    leave: ok, send: ok, like: () => ok({ likes: 1 }), roomLike: () => ok({ likes: 1 }), typing: ok, deleteMessage: ok, timeoutUser: ok, updateRoom: ok, request: ok,
    on(e, l) { (listeners.get(e) ?? listeners.set(e, new Set()).get(e)).add(l); return () => listeners.get(e).delete(l); },
    onStatus(l) { status.add(l); return () => status.delete(l); },
  };
  while (el.stores.connection.$connection.get().status !== 'online') await new Promise((r) => setTimeout(r, 20));
  window.start = () => run(${RATE}, ${SECONDS}, (m) => listeners.get('message:new')?.forEach((l) => l(m)));
  window.elementsPerMessage = () => {
    let count = 0;
    const walk = (node) => { for (const e of node.querySelectorAll('*')) { count++; if (e.shadowRoot) walk(e.shadowRoot); } };
    walk(el.shadowRoot);
    return count / el.stores.messages.$messages.get().length;
  };
  window.ready = true;
</script>`;

interface Result {
  mainThreadMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
  fps: number;
  longTasks: number;
  longestMs: number;
  styleRecalcs: number;
  elementsPerMessage: number;
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'live-chat-bench-'));
  await build({ root: join(root, 'widget'), configFile: join(root, 'widget', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const bundle = readFileSync(join(outDir, 'live-chat.js'));
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/live-chat.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    if (/^\/[\w.-]+\.js$/.test(url)) {
      try {
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(outDir, url.slice(1))));
      } catch {
        return res.writeHead(404).end();
      }
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(url === '/widget' ? WIDGET : PLAIN);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const measure = async (path: string): Promise<Result> => {
    const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
    await page.goto(base + path);
    if (path === '/widget') await page.waitForFunction(() => (window as any).ready === true, undefined, { timeout: 30_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    // RENDER_PROFILE=DIR: a CPU profile of each page (DIR/plain.cpuprofile, DIR/widget.cpuprofile), for Chrome DevTools.
    if (PROFILE) await cdp.send('Profiler.enable'), await cdp.send('Profiler.start');
    const before = await metrics();
    await page.evaluate(() => {
      const m = (window as any).measure;
      m.frames = m.longTasks = m.longest = 0;
    });
    const t0 = Date.now();
    await page.evaluate(() => (window as any).start(), undefined);
    const seconds = (Date.now() - t0) / 1000;
    const after = await metrics();
    if (PROFILE) writeFileSync(join(PROFILE, `${path.slice(1)}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const m = await page.evaluate(() => (window as any).measure);
    const elementsPerMessage = await page.evaluate(() => (window as any).elementsPerMessage());
    await page.close();
    return {
      mainThreadMs: (after.TaskDuration! - before.TaskDuration!) * 1000,
      scriptMs: (after.ScriptDuration! - before.ScriptDuration!) * 1000,
      styleMs: (after.RecalcStyleDuration! - before.RecalcStyleDuration!) * 1000,
      layoutMs: (after.LayoutDuration! - before.LayoutDuration!) * 1000,
      fps: m.frames / seconds,
      longTasks: m.longTasks,
      longestMs: m.longest,
      styleRecalcs: after.RecalcStyleCount! - before.RecalcStyleCount!,
      elementsPerMessage,
    };
  };
  try {
    const plain = await measure('/plain');
    const widget = await measure('/widget');
    const row = (name: string, w: number, p: number, digits = 0) => `| ${name} | ${w.toFixed(digits)} | ${p.toFixed(digits)} | ${p ? (w / p).toFixed(2) + '×' : '—'} |`;
    console.log(`\nRender benchmark: ${RATE} messages/s for ${SECONDS} s, Chromium headless, same run\n`);
    console.log('| measure | <live-chat> | plain divs | ratio |');
    console.log('| --- | --- | --- | --- |');
    console.log(row('main-thread time (ms)', widget.mainThreadMs, plain.mainThreadMs));
    console.log(row('… of it script (ms)', widget.scriptMs, plain.scriptMs));
    console.log(row('… style recalculation (ms)', widget.styleMs, plain.styleMs));
    console.log(row('… layout (ms)', widget.layoutMs, plain.layoutMs));
    console.log(row('frames per second', widget.fps, plain.fps, 1));
    console.log(row('long tasks (> 50 ms)', widget.longTasks, plain.longTasks));
    console.log(row('longest long task (ms)', widget.longestMs, plain.longestMs));
    console.log(row('style recalculations', widget.styleRecalcs, plain.styleRecalcs));
    console.log(row('elements per message', widget.elementsPerMessage, plain.elementsPerMessage, 1));
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
