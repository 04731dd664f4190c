/**
 * What the Storybook suite needs around the stories themselves: a static Storybook build, a
 * tiny static file server for it, Debian's Chromium through playwright-core, a way to open one
 * story and wait until Storybook says it has rendered, and axe-core inside that page.
 *
 * Everything is real and offline: `storybook build` with telemetry off, `node:http` on a free
 * port (`listen(0)`), `/usr/bin/chromium` (or `$CHROMIUM_PATH`); no browser is ever downloaded.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Absolute path of the repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const require = createRequire(import.meta.url);
const STORYBOOK_BIN = join(ROOT, 'node_modules', 'storybook', 'dist', 'bin', 'dispatcher.js');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** Launch arguments that work for Debian's Chromium as root on this kind of machine (TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** One entry of Storybook's `index.json` (v5), as far as these tests read it. */
export interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
  importPath: string;
  tags?: string[];
}

/**
 * Builds the static Storybook into `outDir` with `storybook build --quiet`, telemetry off.
 * Rejects with the build's whole output when it exits non-zero, so a broken story file fails
 * the suite with the reason in the log.
 */
export function buildStorybook(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STORYBOOK_BIN, 'build', '--quiet', '-o', outDir], {
      cwd: ROOT,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && existsSync(join(outDir, 'index.json'))) resolve();
      else reject(new Error(`storybook build exited with ${code}:\n${output}`));
    });
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running static server: its base URL (no trailing slash) and how to stop it. */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the files below `dir` on 127.0.0.1 at a free port; 404 for anything missing or outside `dir`. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const base = normalize(dir + sep);
  const server: Server = createServer((req, res) => {
    let pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // Chromium asks for /favicon.ico on its own; Storybook's build ships favicon.svg.
    if (pathname === '/favicon.ico') pathname = '/favicon.svg';
    let file = normalize(join(base, pathname));
    if (!file.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Launches Debian's Chromium (`$CHROMIUM_PATH` or `/usr/bin/chromium`); never downloads one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Runs in the page before Storybook's runtime: traps the assignment of Storybook's channel so
 * no event is missed, and records the outcome of the first story render in
 * `window.__lcStoryStatus` ("success", "error: …").
 */
function recordStoryStatus(): void {
  const w = window as unknown as Record<string, unknown>;
  let channel: unknown;
  Object.defineProperty(w, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value: { on(event: string, fn: (arg: unknown) => void): void }) {
      channel = value;
      const set = (status: string) => {
        if (w.__lcStoryStatus === undefined) w.__lcStoryStatus = status;
      };
      value.on('storyFinished', (arg) => set((arg as { status: string }).status));
      value.on('storyErrored', (arg) => set(`error: ${JSON.stringify(arg)}`));
      value.on('storyThrewException', (arg) => set(`exception: ${(arg as Error)?.message ?? String(arg)}`));
      value.on('storyMissing', () => set('error: story missing'));
      value.on('docsRendered', () => set('success'));
    },
  });
}

/**
 * Waits until every Lit element in the page (through open shadow roots) has finished its
 * update and every finite animation, in the document and in every shadow root, has ended (at
 * most `animationBudgetMs`); infinite ones, like a pulsing live dot, are left running, and
 * paused ones (a story frozen mid-animation) are left paused.
 */
async function settle(page: Page, animationBudgetMs = 3000): Promise<void> {
  await page.evaluate(async (budget) => {
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const all = (root: Document | ShadowRoot): Element[] =>
      [...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? [el, ...all(el.shadowRoot)] : [el]));
    for (let round = 0; round < 3; round++) {
      const pending = all(document)
        .map((el) => (el as Element & { updateComplete?: Promise<unknown> }).updateComplete)
        .filter((p): p is Promise<unknown> => p instanceof Promise);
      await Promise.all(pending);
      await frames();
    }
    const roots: (Document | ShadowRoot)[] = [document, ...all(document).flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : []))];
    const finite = roots
      .flatMap((root) => root.getAnimations())
      .filter((a) => a.playState === 'running' && Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
    await Promise.race([
      Promise.all(finite.map((a) => a.finished.catch(() => undefined))),
      new Promise((r) => setTimeout(r, budget)),
    ]);
    await frames();
  }, animationBudgetMs);
}

/** One axe-core violation, reduced to what a report needs. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** What opening one story (or docs page) found. */
export interface PageCheck<T = undefined> {
  /** Storybook's outcome: "success", or what went wrong ("error: …", "exception: …"). */
  status: string;
  /** Console errors, page errors, failed requests and HTTP errors, in order. */
  errors: string[];
  /** axe-core violations of impact "serious" or "critical". */
  violations: AxeViolation[];
  /** What the caller's `inspect` returned. */
  inspected: T;
}

/** One reusable page, in a window of its own, and the errors it saw since the last `goto`. */
interface Slot {
  page: Page;
  errors: string[];
}

/**
 * A few pages that take turns opening stories: each one lives in its own browser context
 * (its own window, so Chromium never throttles it as a background tab), keeps its HTTP and
 * compiled-code caches warm, and loads every story as a new document (`page.goto`), so no
 * state leaks from one story to the next.
 */
export class PagePool {
  private readonly idle: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
  ) {}

  /** Opens `size` pages on `browser` for the Storybook served at `baseUrl`. */
  static async open(browser: Browser, baseUrl: string, size: number): Promise<PagePool> {
    const pool = new PagePool(browser, baseUrl);
    for (let i = 0; i < size; i++) pool.idle.push(await pool.newSlot());
    return pool;
  }

  private async newSlot(): Promise<Slot> {
    const context = await this.browser.newContext({ viewport: { width: 1024, height: 768 }, reducedMotion: 'no-preference' });
    const page = await context.newPage();
    const slot: Slot = { page, errors: [] };
    page.on('console', (msg) => {
      if (msg.type() === 'error') slot.errors.push(`console.error: ${msg.text()} (${msg.location().url || 'no url'})`);
    });
    page.on('pageerror', (err) => slot.errors.push(`page error: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) slot.errors.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('requestfailed', (req) => slot.errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
    // tsx compiles this file with esbuild's keepNames: functions sent to the page call `__name`.
    await page.addInitScript('globalThis.__name ??= (fn) => fn;');
    await page.addInitScript(recordStoryStatus);
    return slot;
  }

  private acquire(): Promise<Slot> {
    const slot = this.idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /**
   * Opens `iframe.html?id=<id>&viewMode=<viewMode>`, collects console errors, page errors and
   * failed requests, waits for Storybook's render (and `play`) to finish and the widget to
   * settle, then (stories only) runs axe-core on `#storybook-root` and keeps violations of
   * impact "serious" and "critical". `inspect` runs on the page before
   * it is handed to the next story.
   */
  async check<T = undefined>(id: string, viewMode: 'story' | 'docs' = 'story', inspect?: (page: Page) => Promise<T>): Promise<PageCheck<T>> {
    const slot = await this.acquire();
    try {
      const { page } = slot;
      slot.errors = [];
      const started = Date.now();
      const laps: string[] = [];
      const lap = (what: string) => laps.push(`${what} ${Date.now() - started}`);
      await page.goto(`${this.baseUrl}/iframe.html?id=${encodeURIComponent(id)}&viewMode=${viewMode}`);
      lap('loaded');
      const status = await page
        .waitForFunction(() => (window as unknown as { __lcStoryStatus?: string }).__lcStoryStatus, null, { timeout: 30_000 })
        .then((handle) => handle.jsonValue() as Promise<string>)
        .catch((err: Error) => `no render outcome within 30 s (${err.message.split('\n')[0]})`);
      lap('rendered');
      await settle(page);
      lap('settled');
      // Docs pages are Storybook's own UI around the same stories: not ours to audit.
      const violations = viewMode === 'story' ? await runAxe(page, '#storybook-root') : [];
      lap('axe');
      const inspected = (inspect ? await inspect(page) : undefined) as T;
      if (process.env.STORYBOOK_TEST_TIMING) console.log(`[timing] ${id}: ${laps.join(', ')}`);
      return { status, errors: [...slot.errors], violations, inspected };
    } finally {
      this.release(slot);
    }
  }

  /** Closes every page and its context. */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((slot) => slot.page.context().close()));
  }
}

const axeSource = readFileSync(AXE_PATH, 'utf8');

/** Runs axe-core on `selector` (through open shadow roots) and keeps "serious" and "critical" violations. */
async function runAxe(page: Page, selector: string): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (sel) => {
    type AxeNode = { target: unknown[]; failureSummary?: string };
    type AxeResult = { id: string; impact?: string | null; help: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document.querySelector(sel), { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: JSON.stringify(n.target), summary: n.failureSummary ?? '' })),
      }));
  }, selector);
}

/** A readable, multi-line account of what went wrong on one page, or '' when nothing did. */
export function describeProblems(check: Pick<PageCheck, 'status' | 'errors' | 'violations'>): string {
  const lines: string[] = [];
  if (check.status !== 'success') lines.push(`render: ${check.status}`);
  for (const e of check.errors) lines.push(e);
  for (const v of check.violations) {
    lines.push(`axe ${v.impact} ${v.id}: ${v.help}`);
    for (const n of v.nodes) lines.push(`    at ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`);
  }
  return lines.join('\n');
}
