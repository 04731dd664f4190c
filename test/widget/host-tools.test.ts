/**
 * The host tools (issue 9, widget side) on the FakeTransport: the lazily loaded chunk for hosts
 * and moderators (message actions, room controls, recap), and what every viewer sees of
 * moderation (pinned message, timeout and ban notices, slow-mode countdown).
 * Run: npx web-test-runner test/widget/host-tools.test.ts --static-logging
 */
import type { Me, SessionRecap } from 'live-chat-protocol';
import { html } from 'lit';
import '../../widget/host-tools/lc-recap.ts';
import type { LcRecap } from '../../widget/host-tools/lc-recap.ts';
import type { LiveChat } from '../../widget/live-chat.ts';
import { emptyRoom, makeLeaderboard, member, users } from '../support/fixtures.ts';
import { afterEach, all, cleanup, deepEqual, describe, equal, fixture, hover, it, match, mount, ok, part, parts, quiet, settle, text, typeAndSend, until } from './helpers.ts';

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };
const status = (el: Element) => text(part(el, 'composer-status'));
/** The host tools' requests the fake received, without the `roomId` the widget fills in. */
const requests = (fake: { calls: { method: string; payload?: any }[] }) =>
  fake.calls.filter((c) => c.method === 'request').map(({ payload: { roomId, ...p } }) => (equal(roomId, 'lobby'), p));
const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
/** The element focused inside `el`, through shadow roots. */
function focused(el: Element): Element | null {
  let at: Element | null = document.activeElement;
  while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
  return el.contains(at) || at ? at : null;
}

/** A host on a room with two messages from others; waits until the host tools are in. */
async function mountHost(extra = {}) {
  const mounted = await mount(emptyRoom({ me: host, ...extra }));
  mounted.fake.post(users.dev, 'First!');
  mounted.fake.post(users.bo, 'Spoilers ahead');
  await quiet(mounted.el);
  await until(() => part(hover(parts(mounted.el, 'message')[0]!), 'menu-button'), 'the host tools');
  return mounted;
}

/** The menu button of message `i`, in the toolbar the pointer over it shows. */
const menuButton = (el: LiveChat, i: number) => until(() => part<HTMLButtonElement>(hover(parts(el, 'message')[i]!), 'menu-button'), `the menu of message ${i}`);

/** Opens the menu of message `i` with the keyboard and picks the item named like `name`. */
async function pick(el: LiveChat, i: number, name: RegExp): Promise<void> {
  const button = await menuButton(el, i);
  button.focus();
  key(button, 'ArrowDown');
  const item = await until(() => parts<HTMLButtonElement>(el, 'menu-item').find((b) => name.test(text(b))), `menu item ${name}`);
  item.click();
  await settle(el);
}

describe('host tools', () => {
  afterEach(cleanup);

  it('a viewer gets no menu, no room controls, and never loads the chunk', async () => {
    const { el, fake } = await mount(emptyRoom());
    fake.post(users.dev, 'Hi');
    await quiet(el);
    equal(parts(el, 'message').length, 1);
    equal(part(hover(parts(el, 'message')[0]!), 'message-actions'), undefined);
    equal(part(el, 'mod-panel'), undefined);
    equal(customElements.get('lc-mod-panel'), undefined, 'the host-tools chunk was loaded for a viewer');
  });

  it('a host gets a menu on every message (in the toolbar of the one pointed at), by keyboard: arrows move, Escape closes and refocuses', async () => {
    const { el } = await mountHost();
    ok(part(el, 'mod-panel'), 'room controls');
    for (const [i, row] of parts(el, 'message').entries()) {
      await menuButton(el, i);
      equal(parts(el, 'message-actions').length, 1, 'one toolbar');
      ok(row.contains(part(el, 'message-actions')!), `in message ${i}`);
    }
    const button = await menuButton(el, 1);
    equal(button.getAttribute('aria-haspopup'), 'menu');
    match(button.getAttribute('aria-label'), /Bo Winner/);
    button.focus();
    key(button, 'ArrowDown');
    await until(() => part(el, 'menu'), 'the menu');
    const items = parts(el, 'menu-item').map(text);
    deepEqual(items, ['Pin message', 'Delete message', 'Time out for 1 min', 'Time out for 10 min', 'Time out for 1 h', 'Time out for 24 h', 'Ban from room']);
    equal(text(focused(el)), 'Pin message');
    key(focused(el)!, 'ArrowDown');
    equal(text(focused(el)), 'Delete message');
    key(focused(el)!, 'ArrowUp');
    key(focused(el)!, 'ArrowUp');
    equal(text(focused(el)), 'Ban from room', 'wraps around');
    key(focused(el)!, 'Escape');
    await settle(el);
    equal(part(el, 'menu'), undefined);
    equal(focused(el), button, 'focus back on the menu button');
    equal(button.getAttribute('aria-expanded'), 'false');
  });

  it('delete: the message is gone for everyone', async () => {
    const { el, fake } = await mountHost();
    await pick(el, 0, /Delete/);
    await quiet(el);
    deepEqual(requests(fake), [{ event: 'mod:delete', messageId: 'm1' }]);
    match(text(parts(el, 'message-text')[0]), /Message deleted/);
    equal(part(hover(parts(el, 'message')[0]!), 'message-actions'), undefined, 'no menu on a deleted message');
    ok(await menuButton(el, 1), 'the other message keeps its menu');
  });

  it('pin shows the message above the list; unpin (menu or button) removes it', async () => {
    const { el, fake } = await mountHost();
    await pick(el, 1, /Pin/);
    await quiet(el);
    match(text(part(el, 'pinned')), /Bo Winner.*Spoilers ahead/);
    equal(fake.room.pinned?.id, 'm2');
    await pick(el, 1, /Unpin/);
    await quiet(el);
    equal(part(el, 'pinned'), undefined);
    await pick(el, 0, /Pin/);
    await quiet(el);
    part(el, 'unpin-button')!.click();
    await quiet(el);
    equal(part(el, 'pinned'), undefined);
    deepEqual(requests(fake).map((r) => r.messageId), ['m2', null, 'm1', null]);
  });

  it('timeout and ban ask for an optional reason first', async () => {
    const { el, fake } = await mountHost();
    await pick(el, 1, /10 min/);
    const form = await until(() => part<HTMLFormElement>(el, 'reason-form'), 'the reason form');
    const reason = form.querySelector('input')!;
    equal(focused(el), reason, 'focus in the reason field');
    reason.value = '  Spoilers  ';
    form.requestSubmit();
    await quiet(el);
    await pick(el, 0, /Ban/);
    part<HTMLFormElement>(el, 'reason-form')!.requestSubmit();
    await quiet(el);
    deepEqual(requests(fake), [
      { event: 'mod:timeout', userId: 'u-bo', seconds: 600, reason: 'Spoilers' },
      { event: 'mod:ban', userId: 'u-dev' },
    ]);
    deepEqual([...fake.bans.keys()], ['u-dev']);
  });

  it('a refusal fires lc-error (moderate) and shows in the toast', async () => {
    const { el, fake } = await mountHost();
    const errors: Event[] = [];
    el.addEventListener('lc-error', (e) => errors.push(e));
    fake.failNext('request', { code: 'forbidden', message: 'no' });
    await pick(el, 0, /Delete/);
    await quiet(el);
    equal(errors.length, 1);
    equal((errors[0] as CustomEvent).detail.source, 'moderate');
    match(text(part(el, 'toast')), /can't/i);
  });

  it('room controls: title, slow mode, close and open the chat, sessions (the leaderboard starts over)', async () => {
    const { el, fake } = await mountHost({ leaderboard: makeLeaderboard(3) });
    const toggle = part<HTMLButtonElement>(el, 'mod-panel-toggle')!;
    toggle.click();
    await settle(el);
    const panel = part(el, 'mod-panel')!;
    const title = all<HTMLInputElement>(panel, 'input[name="title"]')[0]!;
    title.value = 'Final round';
    title.form!.requestSubmit();
    await quiet(el);
    match(text(part(el, 'title')), /Final round/);
    const select = all<HTMLSelectElement>(panel, 'select')[0]!;
    deepEqual([...select.options].map((o) => o.value), ['0', '5', '10', '30', '60']);
    select.value = '30';
    select.dispatchEvent(new Event('change'));
    await quiet(el);
    equal(fake.room.slowModeSeconds, 30);
    const button = (name: RegExp) => all<HTMLButtonElement>(panel, 'button').find((b) => name.test(text(b)))!;
    button(/Close chat now/).click();
    await quiet(el);
    match(status(el), /closed/i);
    button(/Open chat now/).click();
    await quiet(el);
    equal(fake.room.closesAt, null);
    ok(parts(el, 'leaderboard-row').length >= 3, 'the session has a board');
    button(/End session/).click();
    await quiet(el);
    ok(fake.session?.endedAt, 'ended');
    button(/Start session/).click();
    await quiet(el);
    await until(() => parts(el, 'leaderboard-row').length === 0, 'an empty leaderboard for the new session');
    deepEqual(requests(fake).map((r) => r.event), ['room:update', 'room:update', 'room:update', 'room:update', 'session:end', 'session:start']);
    ok(button(/Recap/), 'the recap is reachable from the panel');
  });
});

describe('what viewers see', () => {
  afterEach(cleanup);

  it('the pinned message, without an unpin button', async () => {
    const { el, fake } = await mount(emptyRoom());
    const m = fake.post(users.anna, 'Welcome to the final!');
    equal(part(el, 'pinned'), undefined);
    fake.setRoom({ pinned: m });
    await quiet(el);
    match(text(part(el, 'pinned')), /Anna Host.*Welcome to the final!/);
    equal(part(el, 'unpin-button'), undefined);
  });

  it('a timeout with its reason and end, then a ban, then an unban; sends are refused meanwhile', async () => {
    const { el, fake } = await mount(emptyRoom());
    const until_ = new Date(Date.now() + 600_000);
    fake.restrict('me', { kind: 'timeout', until: until_.toISOString(), reason: 'Spoilers' });
    await quiet(el);
    match(status(el), /timed out until .*: Spoilers/);
    equal(part(el, 'composer-status')!.getAttribute('role'), 'alert');
    equal(part<HTMLInputElement>(el, 'input')!.disabled, true);
    fake.restrict('me', { kind: 'ban', until: null, reason: 'Repeated spoilers' });
    await quiet(el);
    match(status(el), /banned from this room: Repeated spoilers/);
    // The unban lifts the ban; the timeout still runs (the server keeps them apart).
    fake.restrict('me', { kind: 'unban', until: null, reason: null });
    await quiet(el);
    match(status(el), /timed out until .*: Spoilers/);
    equal(part<HTMLInputElement>(el, 'input')!.disabled, true);
  });

  it('a ban then an unban: the composer opens again and sends', async () => {
    const { el, fake } = await mount(emptyRoom());
    fake.restrict('me', { kind: 'ban', until: null, reason: 'Spam' });
    await quiet(el);
    equal(part<HTMLInputElement>(el, 'input')!.disabled, true);
    const refused = await el.stores.actions.request('message:send', { clientId: 'raw-send-1', text: 'hi' });
    equal(!refused.ok && refused.error.code, 'banned');
    equal(!refused.ok && refused.error.message, 'Spam');
    fake.restrict('me', { kind: 'unban', until: null, reason: null });
    await quiet(el);
    equal(part<HTMLInputElement>(el, 'input')!.disabled, false);
    await typeAndSend(el, 'Back again');
    await quiet(el);
    equal(fake.messages.at(-1)?.text, 'Back again');
  });

  it('a restriction in the join ack shows at once', async () => {
    const { el } = await mount(emptyRoom({ me: { ...member, restriction: { kind: 'ban', until: null, reason: 'Bots' } } }));
    match(status(el), /banned from this room: Bots/);
    equal(part<HTMLButtonElement>(el, 'heart-button')!.disabled, true);
  });

  it('slow mode counts down in the composer after a send, before the next one', async () => {
    const { el, fake } = await mount(emptyRoom({ room: { slowModeSeconds: 30 } }));
    equal(part(el, 'slow-mode-countdown'), undefined);
    await typeAndSend(el, 'One');
    await quiet(el);
    match(text(part(el, 'slow-mode-countdown')), /send again in 0:(29|30)/);
    const input = part<HTMLInputElement>(el, 'input')!;
    input.value = 'Two';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await settle(el);
    equal(part<HTMLButtonElement>(el, 'send-button')!.disabled, true);
    fake.setRoom({ slowModeSeconds: 0 });
    await quiet(el);
    equal(part(el, 'slow-mode-countdown'), undefined);
    equal(part<HTMLButtonElement>(el, 'send-button')!.disabled, false);
  });
});

const recap: SessionRecap = {
  roomId: 'lobby',
  sessionId: 's1',
  startedAt: '2026-11-30T19:00:00.000Z',
  endedAt: '2026-11-30T19:03:00.000Z',
  peakViewers: 40,
  averageViewers: 31.5,
  uniqueChatters: 3,
  messages: 9,
  hearts: 12,
  xpAwarded: 18,
  coinsAwarded: 4,
  timeline: [
    { minute: '2026-11-30T19:00:00.000Z', messages: 2, viewers: 20, hearts: 0 },
    { minute: '2026-11-30T19:01:00.000Z', messages: 5, viewers: 40, hearts: 10 },
    { minute: '2026-11-30T19:02:00.000Z', messages: 2, viewers: 35, hearts: 2 },
  ],
  topChatters: [
    { userId: 'u-bo', name: 'Bo', avatarUrl: null, messages: 5, coins: 2, xp: 10 },
    { userId: 'u-dev', name: 'Dev', avatarUrl: null, messages: 3, coins: 1, xp: 6 },
  ],
};

describe('<lc-recap>', () => {
  afterEach(cleanup);

  it('draws the numbers, a chart of three series, a table for screen readers and the top chatters', async () => {
    const el = await fixture<LcRecap>(html`<lc-recap .recap=${recap}></lc-recap>`);
    const stats = Object.fromEntries(all(el, 'dl > div').map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))]));
    deepEqual(stats, { 'Peak viewers': '40', 'Average viewers': '31.5', Chatters: '3', Messages: '9', Hearts: '12', 'XP awarded': '18', 'Coins awarded': '4' });
    const chart = part(el, 'recap-chart')!;
    equal(chart.getAttribute('aria-hidden'), 'true');
    deepEqual(all(chart, 'g').map((g) => g.getAttribute('data-series')), ['messages', 'viewers', 'hearts']);
    equal(all(chart, 'polyline')[1]!.getAttribute('points')!.split(' ').length, 3, 'one point per minute');
    const rows = all(part(el, 'recap-table')!, 'tbody tr').map((r) => [...r.children].slice(1).map(text).join(','));
    deepEqual(rows, ['2,20,0', '5,40,10', '2,35,2']);
    deepEqual(all(part(el, 'recap-chatters')!, 'tbody tr').map((r) => r.getAttribute('data-user-id')), ['u-bo', 'u-dev']);
  });

  it('says so while loading and when the fetch fails', async () => {
    const el = await fixture<LcRecap>(html`<lc-recap server="http://127.0.0.1:9" room="lobby" session="s1"></lc-recap>`);
    match(text(part(el, 'recap')), /Loading/);
    await until(() => /Couldn't load/.test(text(part(el, 'recap'))), 'the failure');
    equal(all(el, '[role="alert"]').length, 1);
  });

  it('an empty session says nothing happened instead of drawing a chart', async () => {
    const el = await fixture<LcRecap>(html`<lc-recap .recap=${{ ...recap, timeline: [{ minute: recap.startedAt, messages: 0, viewers: 0, hearts: 0 }], topChatters: [] }}></lc-recap>`);
    equal(part(el, 'recap-chart'), undefined);
    match(text(part(el, 'recap')), /Nothing happened/);
  });
});
