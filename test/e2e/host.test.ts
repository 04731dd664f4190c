/**
 * Done-when of issue 9, end to end: the chat server started as `npm start` does, the demo page
 * served from another origin, a host and two viewers in their own browser contexts of Debian's
 * Chromium. Every action goes through the host's UI (the host-tools chunk) and shows on the
 * viewers' pages: pinned message, message gone, timeout and ban with their reasons, slow-mode
 * countdown, chat closed; a ban survives a server restart; the recap of the scripted session
 * has its numbers; a viewer's page has no mod controls and never loads the chunk.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { messagesWith, send, startDemoSite, type DemoSite } from '../helpers/demo-site.ts';
import { eventually } from '../helpers/processes.ts';

let demo: DemoSite;
before(async () => {
  demo = await startDemoSite('host-e2e');
});
after(() => demo?.close());
const openAs = (name: string, role: string) => demo.openAs(name, role);

const status = (page: Page) => page.locator('[part~="composer-status"]').textContent();

/** The host picks `item` in the actions menu of the message with `text` (in the toolbar the pointer over it shows), with a reason when asked. */
async function moderate(host: Page, text: string, item: string, reason?: string) {
  await messagesWith(host, text).hover();
  await messagesWith(host, text).locator('[part~="menu-button"]').click();
  await host.locator('[part~="menu-item"]', { hasText: item }).click();
  if (reason === undefined) return;
  await host.locator('[part~="reason-form"] input').fill(reason);
  await host.locator('[part~="reason-form"] button[type=submit]').click();
}

/** A send straight to the server (past the disabled composer): the wire's answer. */
const rawSend = (page: Page, text: string) =>
  page.evaluate((t) => document.querySelector('live-chat')!.stores.actions.request('message:send', { clientId: crypto.randomUUID(), text: t }), text);

test('a host moderates from the page; viewers see each action; a ban survives a restart; the recap adds up', { timeout: 240_000 }, async () => {
  const hana = await openAs('Hana', 'host');
  const vic = await openAs('Vic', '');
  const wes = await openAs('Wes', '');

  // The host tools came with the chunk for Hana only.
  await hana.locator('[part~="mod-panel-toggle"]').click();
  const panel = hana.locator('[part~="mod-panel"]');
  const button = (name: string) => panel.getByRole('button', { name, exact: true });
  await button('Start session').click();
  await eventually(async () => assert.equal(await button('End session').isEnabled(), true));

  await send(vic, 'Spoiler: the winner is Bo');
  await send(vic, 'Buy cheap coins at spam.example');
  for (const [page, n] of [[wes, 3], [vic, 1]] as const) {
    await page.locator('[part~="heart-button"]').click();
    if (n > 1) await page.locator('[part~="heart-button"]').click();
    if (n > 2) await page.locator('[part~="heart-button"]').click();
  }
  await eventually(async () => assert.equal(await messagesWith(hana, 'Buy cheap coins').count(), 1));

  // No mod controls on a viewer's page, and no host-tools code fetched.
  for (const [name, page] of [['Vic', vic], ['Wes', wes]] as const) {
    assert.equal(await page.locator('[part~="message-actions"]').count(), 0, name);
    assert.equal(await page.locator('[part~="mod-panel"]').count(), 0, name);
    assert.deepEqual(demo.fetched.get(name)!.filter((u) => u.includes('host-tools')), [], name);
  }
  assert.ok(demo.fetched.get('Hana')!.some((u) => /\/host-tools\.[0-9a-f]{8}\.js$/.test(u)), 'the host loaded the chunk');

  // Pin: everyone sees it above the list.
  await moderate(hana, 'Spoiler: the winner', 'Pin message');
  for (const page of [vic, wes]) await eventually(async () => assert.match((await page.locator('[part~="pinned"]').textContent()) ?? '', /Spoiler: the winner is Bo/));
  assert.equal(await wes.locator('[part~="unpin-button"]').count(), 0);

  // Delete: gone for everyone (and no longer pinned).
  await moderate(hana, 'Spoiler: the winner', 'Delete message');
  for (const page of [vic, wes]) {
    await eventually(async () => assert.equal(await messagesWith(page, 'Spoiler: the winner').count(), 0));
    await eventually(async () => assert.equal(await page.locator('[part~="pinned"]').count(), 0));
  }

  // Timeout with a reason: Vic sees why and until when, and the server refuses with the reason.
  await moderate(hana, 'Buy cheap coins', 'Time out for 10 min', 'Cool off');
  await eventually(async () => assert.match((await status(vic)) ?? '', /timed out until .*: Cool off/));
  assert.equal(await vic.locator('[part~="input"]').isDisabled(), true);
  const timedOut = await rawSend(vic, 'let me in');
  assert.equal(timedOut.ok, false);
  assert.equal(!timedOut.ok && timedOut.error.code, 'timed_out');
  assert.ok(!timedOut.ok && (timedOut.error.retryAfterMs ?? 0) > 500_000, JSON.stringify(timedOut));

  // Slow mode: Wes sees the countdown after his message (his first: slow mode cannot refuse it).
  await panel.locator('select').selectOption('10');
  await eventually(async () => assert.equal(await wes.evaluate(() => document.querySelector('live-chat')!.stores.room.$room.get()?.slowModeSeconds), 10));
  await send(wes, 'Slowly now');
  await eventually(async () => assert.equal(await messagesWith(hana, 'Slowly now').count(), 1));
  await eventually(async () => assert.match((await wes.locator('[part~="slow-mode-countdown"]').textContent()) ?? '', /send again in 0:(0\d|10)/));

  // Ban with a reason.
  await moderate(hana, 'Buy cheap coins', 'Ban from room', 'Spam');
  await eventually(async () => assert.match((await status(vic)) ?? '', /banned from this room: Spam/));

  // Close the chat now: Wes's composer says so.
  await button('Close chat now').click();
  await eventually(async () => assert.match((await status(wes)) ?? '', /Chat has closed/));
  assert.equal(await wes.locator('[part~="input"]').isDisabled(), true);
  // And open again, so that what refuses Vic below is the ban alone.
  await button('Open chat now').click();
  await eventually(async () => assert.doesNotMatch((await status(wes)) ?? '', /Chat has closed/));

  // The server restarts on the same data: Vic is still banned, after the rejoin and on the wire.
  await demo.stopChat();
  await demo.startChat();
  await eventually(async () => assert.equal(await vic.locator('[part~="banner"]').isVisible(), false), 30_000);
  await eventually(async () => assert.match((await status(vic)) ?? '', /banned from this room: Spam/), 20_000);
  const banned = await rawSend(vic, 'still here?');
  assert.equal(!banned.ok && banned.error.code, 'banned');
  assert.equal(!banned.ok && banned.error.message, 'Spam');

  // End the session and open its recap: 3 messages (the deleted one counts), 2 chatters, 4
  // hearts. (Viewers are sampled about once a minute: too seldom to assert in a short test.)
  await eventually(async () => assert.equal(await hana.locator('[part~="banner"]').isVisible(), false), 30_000);
  await button('End session').click();
  await eventually(async () => assert.equal(await button('Start session').isEnabled(), true));
  await button('Recap').click();
  const recap = hana.locator('[part~="recap"]').last();
  const stat = (label: string) => recap.locator('dl > div', { hasText: label }).locator('dd').textContent();
  await eventually(async () => assert.equal(await stat('Messages'), '3', (await recap.textContent()) ?? ''), 20_000);
  assert.equal(await stat('Chatters'), '2');
  assert.equal(await stat('Hearts'), '4');
  assert.deepEqual(await recap.locator('[part~="recap-chatters"] tbody th').allTextContents(), ['Vic', 'Wes']);
  assert.ok((await recap.locator('[part~="recap-chart"] polyline').count()) === 3);

  // The moderation log lists what happened; Unban on Vic's ban lifts it (his timeout still runs).
  await button('Log').click();
  const log = hana.locator('[part~="mod-log"]');
  await eventually(async () => assert.match((await log.textContent()) ?? '', /Hana banned Vic.*Spam/s));
  const actions = await log.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
  for (const action of ['ban', 'timeout', 'delete', 'pin', 'room_update', 'session_start', 'session_end']) assert.ok(actions.includes(action), `${action} in ${actions}`);
  await log.getByRole('button', { name: 'Unban' }).click();
  await eventually(async () => assert.match((await status(vic)) ?? '', /timed out until .*: Cool off/));
  const afterUnban = await rawSend(vic, 'and now?');
  assert.equal(!afterUnban.ok && afterUnban.error.code, 'timed_out');
  await eventually(async () => assert.equal(await log.getByRole('button', { name: 'Unban' }).count(), 0));

  assert.deepEqual(demo.pageErrors, [], 'uncaught errors in the pages');
});
