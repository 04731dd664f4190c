/**
 * `npm run screenshots`: the README's pictures of the demo (docs/images/demo-dark.png and
 * demo-light.png) and of the host tools (host-view.png, recap.png; `npm run screenshots -- host`
 * shoots those alone). Starts the server as `npm start` does on a temp SQLite, opens the demo in
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

/**
 * The host tools: a host (Maja) and viewers in room `host`; the session is started from the
 * room controls, people chat and send hearts; shoots the host's page with the room controls
 * and a message's actions menu open (host-view.png), then ends the session and shoots its recap
 * (recap.png).
 */
async function shootHost() {
  const pages: Page[] = [];
  for (const [name, role] of people.en) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1080 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/?theme=light&lang=en&room=host`);
    await page.fill('#name', name);
    await page.selectOption('#role', role);
    await page.click('#pick button[type=submit]');
    await page.locator('[part~="input"]').waitFor();
    pages.push(page);
  }
  const host = pages[0]!;
  const panel = host.locator('[part~="mod-panel"]');
  await host.locator('[part~="mod-panel-toggle"]').click();
  await panel.getByRole('button', { name: 'Start session', exact: true }).click();
  await host.waitForTimeout(300);
  for (const [who, text] of [...lines.en, [2, 'Thanks for hosting!'] as [number, string], [3, 'Spoiler: the winner is Lina'] as [number, string]]) {
    await pages[who]!.locator('[part~="input"]').fill(text);
    await pages[who]!.locator('[part~="input"]').press('Enter');
    await pages[who]!.waitForTimeout(250);
  }
  for (const page of pages.slice(1)) for (let i = 0; i < 3; i++) await page.locator('[part~="heart-button"]').click();
  await host.locator('[part~="message"]').filter({ hasText: 'Spoiler' }).hover();
  await host.locator('[part~="message"]').filter({ hasText: 'Spoiler' }).locator('[part~="menu-button"]').click();
  await host.waitForTimeout(600);
  await host.screenshot({ path: join(outDir, 'host-view.png') });
  await host.keyboard.press('Escape');
  await panel.getByRole('button', { name: 'End session', exact: true }).click();
  await host.waitForTimeout(300);
  // The recap as a site shows it on a page of its own (docs/widget.md): the demo's origin,
  // its <live-chat> script, the chunk, and <lc-recap> for the session that just ended.
  const session = await host.evaluate(() => document.querySelector('live-chat')!.stores.room.$session.get()?.id);
  const page = await (await browser.newContext({ viewport: { width: 760, height: 700 }, deviceScaleFactor: 1 })).newPage();
  await page.goto(`${server.url}/?room=host`);
  await page.evaluate(async (id) => {
    await import(`${location.origin}/host-tools.js`);
    document.body.innerHTML = `<div style="padding:16px;background:#eef0f4"><lc-recap server="${location.origin}" room="host" session="${id}"></lc-recap></div>`;
  }, session!);
  const recap = page.locator('lc-recap');
  await recap.locator('dl').waitFor();
  await page.waitForTimeout(300);
  await page.locator('body > div').screenshot({ path: join(outDir, 'recap.png') });
  await page.context().close();
  for (const page of pages) await page.context().close();
}

try {
  // Rooms other than lobby must exist: a host creates them.
  const { token } = (await (await fetch(`${server.url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Setup', roles: ['host'] }) })).json()) as { token: string };
  for (const [id, title] of [['dark', 'Friday Night Draw'], ['light', 'Fredagsdragningen'], ['host', 'Friday Night Draw']]) {
    await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ id, title }) });
  }
  if (!process.argv.includes('host')) {
    await shoot('dark', 'en', 'demo-dark.png');
    await shoot('light', 'sv', 'demo-light.png');
    console.log(`wrote ${join(outDir, 'demo-dark.png')} and demo-light.png`);
  }
  await shootHost();
  console.log(`wrote ${join(outDir, 'host-view.png')} and recap.png`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
