/**
 * The end-to-end fixture of test/e2e: the chat server started as `npm start` does (a temp
 * SQLite `DATA_DIR`, a fixed free port so it can come back on the same address), the demo page
 * served from ANOTHER origin (the site's) with `/live-chat.js` and the socket on the chat
 * server, and Debian's Chromium. Each person opens the site in their own browser context.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventually, freePort, launchChromium, repoRoot, startChatServer, type RunningServer } from './processes.ts';

export interface DemoSite {
  /** The chat server now (a new one after {@link startChat}). */
  readonly chat: RunningServer;
  /** Uncaught errors of every page, as `name: message`. */
  readonly pageErrors: string[];
  /** URLs each page requested, by the name it signed in with. */
  readonly fetched: Map<string, string[]>;
  /**
   * Opens the site in a new context (viewport width 1280, `height` px), signs in as `name` with
   * `role` ('' for a viewer) and waits until the composer is enabled.
   */
  openAs(name: string, role: string, height?: number): Promise<Page>;
  /** Stops the chat server (SIGTERM); the pages stay open. */
  stopChat(): Promise<void>;
  /** Starts the chat server again on the same port and data. */
  startChat(): Promise<void>;
  /** Closes the browser, both servers, and removes the data. */
  close(): Promise<void>;
}

/** Starts the fixture; `name` tags its temp folder. */
export async function startDemoSite(name: string): Promise<DemoSite> {
  const dataDir = mkdtempSync(join(tmpdir(), `live-chat-${name}-`));
  const env = { PORT: String(await freePort()), DATA_DIR: dataDir };
  let chat = await startChatServer(env);
  const page = readFileSync(join(repoRoot, 'demo', 'index.html'), 'utf8').replace('src="/live-chat.js"', `src="${chat.url}/live-chat.js"`);
  const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((r) => site.listen(0, 'localhost', r));
  const siteUrl = `http://localhost:${(site.address() as { port: number }).port}/?server=${encodeURIComponent(chat.url)}`;
  const browser = await launchChromium();
  const pageErrors: string[] = [];
  const fetched = new Map<string, string[]>();

  return {
    get chat() {
      return chat;
    },
    pageErrors,
    fetched,
    async openAs(user, role, height = 900) {
      const context = await browser.newContext({ viewport: { width: 1280, height } });
      const tab = await context.newPage();
      const urls: string[] = [];
      fetched.set(user, urls);
      tab.on('request', (r) => urls.push(r.url()));
      tab.on('pageerror', (e) => pageErrors.push(`${user}: ${e.message}`));
      await tab.goto(siteUrl);
      await tab.fill('#name', user);
      await tab.selectOption('#role', role);
      await tab.click('#pick button[type=submit]');
      await eventually(async () => assert.equal(await tab.locator('[part~="input"]').isEnabled(), true));
      return tab;
    },
    stopChat: () => chat.stop().then(() => undefined),
    async startChat() {
      chat = await startChatServer(env);
    },
    async close() {
      await browser.close();
      await chat.stop();
      await new Promise((r) => site.close(r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The messages of `page` whose text contains `text`. */
export const messagesWith = (page: Page, text: string) => page.locator('[part~="message"]').filter({ hasText: text });

/** Types `text` into the composer of `page` and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.locator('[part~="input"]');
  await input.fill(text);
  await input.press('Enter');
}
