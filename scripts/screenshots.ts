/**
 * `npm run screenshots`: the README's pictures of the demo (docs/images/demo-dark.png and
 * demo-light.png). Starts the server as `npm start` does on a temp SQLite, opens the demo in
 * three Chromium contexts (a host, a moderator, a winner), chats a little, and shoots a
 * 1280×800 page. For legible emoji install Debian's fonts-noto-color-emoji first.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, repoRoot, startChatServer } from '../test/helpers/processes.ts';

const outDir = join(repoRoot, 'docs', 'images');
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'live-chat-shots-'));
const server = await startChatServer({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
const browser = await launchChromium();

const people = {
  en: [['Maja', 'host'], ['Omar', 'moderator'], ['Lina', 'winner'], ['Theo', '']],
  sv: [['Astrid', 'host'], ['Nils', 'moderator'], ['Sara', 'winner'], ['Erik', '']],
} as const;
const lines: Record<'en' | 'sv', [number, string][]> = {
  en: [
    [0, 'Welcome everyone! The draw starts in a few minutes 🎉'],
    [1, 'Be kind, have fun. Questions about the prize? Ask here.'],
    [3, 'What is the prize tonight?'],
    [0, 'A weekend trip to Stockholm for two ✈️'],
    [2, 'I won last week, still can’t believe it 😄'],
    [3, 'Good luck all!'],
  ],
  sv: [
    [0, 'Välkomna allihop! Dragningen börjar om några minuter 🎉'],
    [1, 'Var snälla mot varandra. Frågor om priset? Ställ dem här.'],
    [3, 'Vad är priset ikväll?'],
    [0, 'En weekendresa till Stockholm för två ✈️'],
    [2, 'Jag vann förra veckan, kan fortfarande inte tro det 😄'],
    [3, 'Lycka till alla!'],
  ],
};

async function shoot(theme: 'dark' | 'light', lang: 'en' | 'sv', file: string) {
  const pages: Page[] = [];
  for (const [name, role] of people[lang]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/?theme=${theme}&lang=${lang}&room=${theme}`);
    await page.fill('#name', name);
    await page.selectOption('#role', role);
    await page.click('#pick button[type=submit]');
    await page.locator('[part~="input"]').waitFor();
    pages.push(page);
  }
  for (const [who, text] of lines[lang]) {
    await pages[who].locator('[part~="input"]').fill(text);
    await pages[who].locator('[part~="input"]').press('Enter');
    await pages[who].waitForTimeout(250);
  }
  await pages[1].locator('[part~="heart-button"]').click();
  await pages[2].locator('[part~="like-button"]').first().click();
  const shot = pages[3];
  await shot.locator('[part~="input"]').fill(lang === 'sv' ? 'Längtar!' : 'Can’t wait!');
  await shot.waitForTimeout(1200);
  await shot.screenshot({ path: join(outDir, file) });
  for (const page of pages) await page.context().close();
}

try {
  // Rooms other than lobby must exist: a host creates them.
  const { token } = (await (await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Setup', roles: ['host'] }) })).json()) as { token: string };
  for (const [id, title] of [['dark', 'Friday Night Draw'], ['light', 'Fredagsdragningen']]) {
    await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ id, title }) });
  }
  await shoot('dark', 'en', 'demo-dark.png');
  await shoot('light', 'sv', 'demo-light.png');
  console.log(`wrote ${join(outDir, 'demo-dark.png')} and demo-light.png`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
