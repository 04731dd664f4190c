/**
 * End to end, as a site owner ships it: the chat server started as `npm start` does, the demo
 * page served from ANOTHER origin (the site's) loading `/live-chat.js` from the chat server,
 * two people in two browser contexts of Debian's Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { messagesWith, send, startDemoSite, type DemoSite } from '../helpers/demo-site.ts';
import { eventually } from '../helpers/processes.ts';

let demo: DemoSite;
before(async () => {
  demo = await startDemoSite('e2e');
});
after(() => demo?.close());
const openAs = (name: string, role: string) => demo.openAs(name, role, 860);

const number = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));


/** Every message node on the page has a distinct id (no message shown twice). */
async function assertNoDuplicates(page: Page) {
  const ids = await page.locator('[part~="message"]').evaluateAll((els) => els.map((el) => el.closest('[data-id]')?.getAttribute('data-id') ?? el.getAttribute('data-id')));
  assert.ok(ids.length > 0, 'no messages on the page');
  assert.equal(new Set(ids).size, ids.length, `duplicate message ids: ${ids.join(', ')}`);
}

test('two people chat across origins: message, badge, viewers, likes, coins, leaderboard, restart', { timeout: 180_000 }, async () => {
  const alice = await openAs('Alice', 'host');
  const bob = await openAs('Bob', '');

  // Occupancy: both pages see two viewers.
  for (const page of [alice, bob]) {
    await eventually(async () => assert.equal(number(await page.locator('[part~="viewer-count"]').textContent()), 2));
  }

  // Alice writes; Bob sees it with her name and the HOST badge.
  await send(alice, 'Hello from Alice 👋');
  const atBob = messagesWith(bob, 'Hello from Alice 👋');
  await eventually(async () => assert.equal(await atBob.count(), 1));
  assert.match((await atBob.locator('[part~="author"]').textContent()) ?? '', /Alice/);
  assert.equal(await atBob.locator('[part~="badge-host"]').count(), 1);
  assert.equal(await messagesWith(alice, 'Hello from Alice 👋').locator('[part~="badge-host"]').count(), 1);

  // The first message earned a coin: the chip shows in both pages, Alice tops the board in both.
  for (const page of [alice, bob]) {
    await eventually(async () => assert.equal(await messagesWith(page, 'Hello from Alice 👋').locator('[part~="coin"]').count(), 1));
    await eventually(async () => assert.match((await page.locator('[part~="leaderboard-row"]').first().textContent()) ?? '', /Alice/));
  }

  // Bob answers: his first message earns his first coin; Alice's second, within the 300 s
  // cooldown, earns none — in both pages.
  await send(bob, 'Hi Alice!');
  await send(alice, 'Welcome Bob');
  for (const page of [alice, bob]) {
    await eventually(async () => assert.equal(await messagesWith(page, 'Hi Alice!').locator('[part~="coin"]').count(), 1));
    await eventually(async () => assert.equal(await messagesWith(page, 'Welcome Bob').count(), 1));
    assert.equal(await messagesWith(page, 'Welcome Bob').locator('[part~="coin"]').count(), 0);
  }

  // Session likes: Bob taps the heart, the count rises in both pages.
  const likesBefore = number(await alice.locator('[part~="like-count"]').textContent());
  await bob.locator('[part~="heart-button"]').click();
  for (const page of [alice, bob]) {
    await eventually(async () => assert.ok(number(await page.locator('[part~="like-count"]').textContent()) > likesBefore));
  }

  // The server goes away: both pages show the reconnecting banner and keep what they had.
  await demo.stopChat();
  for (const page of [alice, bob]) {
    await eventually(async () => assert.equal(await page.locator('[part~="banner"]').isVisible(), true));
  }
  // Bob types while offline: the message waits in the outbox.
  await send(bob, 'Sent while offline');

  // It comes back on the same port and data: pages reconnect, history shows once, outbox flushes once.
  await demo.startChat();
  for (const page of [alice, bob]) {
    await eventually(async () => assert.equal(await page.locator('[part~="banner"]').isVisible(), false), 30_000);
    await eventually(async () => assert.equal(await messagesWith(page, 'Sent while offline').count(), 1), 20_000);
    assert.equal(await messagesWith(page, 'Hello from Alice 👋').count(), 1);
    assert.equal(await messagesWith(page, 'Hi Alice!').count(), 1);
    await assertNoDuplicates(page);
  }

  // A fresh page after the restart gets the same history from SQLite.
  const carol = await openAs('Carol', 'winner');
  await eventually(async () => assert.equal(await messagesWith(carol, 'Hello from Alice 👋').count(), 1));
  await eventually(async () => assert.equal(await messagesWith(carol, 'Sent while offline').count(), 1));
  await assertNoDuplicates(carol);

  assert.deepEqual(demo.pageErrors, [], 'uncaught errors in the pages');
});
