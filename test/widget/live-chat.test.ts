import { html } from 'lit';
import type { LiveChat } from '../../widget/live-chat.ts';
import { busyRoom, emptyRoom, makeMessages, users } from '../support/fixtures.ts';
import { afterEach, all, cleanup, describe, equal, fixture, quiet, it, match, mount, ok, part, parts, settle, text, until } from './helpers.ts';

/** Every part the lead's end-to-end tests select (widget.md), with a room that shows them all. */
const PARTS = [
  'header', 'title', 'viewer-count', 'like-count', 'message-list', 'message', 'author', 'message-text',
  'badge-host', 'badge-winner', 'badge-moderator', 'coin', 'like-button', 'composer', 'input',
  'send-button', 'heart-button', 'composer-status', 'leaderboard', 'leaderboard-row', 'xp',
];

describe('<live-chat>', () => {
  afterEach(cleanup);

  it('renders every part the page can style, re-exported up to <live-chat>', async () => {
    const messages = makeMessages(20);
    messages.push({ ...messages[19]!, id: 'm21', seq: 21, user: users.hal, text: 'all badges', reward: { xp: 1, coins: 1 } });
    const { el } = await mount(busyRoom({ messages }), { width: 720 });
    for (const name of PARTS) ok(part(el, name), `part ${name} is rendered`);

    // ::part() from the page reaches nested parts only through exportparts.
    const style = document.createElement('style');
    style.textContent = PARTS.map((p) => `live-chat::part(${p}) { outline-color: rgb(1, 2, 3); }`).join('\n');
    document.head.append(style);
    try {
      for (const name of PARTS) {
        equal(getComputedStyle(part(el, name)!).outlineColor, 'rgb(1, 2, 3)', `live-chat::part(${name}) applies`);
      }
    } finally {
      style.remove();
    }
  });

  it('shows the room title, viewers and likes as compact numbers', async () => {
    const { el, fake } = await mount(busyRoom({ stats: { viewers: 12_345, likes: 999 } }));
    equal(text(part(el, 'title')), 'Friday Night Draw');
    equal(text(part(el, 'viewer-count')), '12.3K');
    equal(text(part(el, 'like-count')), '999');
    fake.setStats({ viewers: 2 });
    await quiet(el);
    equal(text(part(el, 'viewer-count')), '2');
  });

  it('gives every message node data-id and data-seq, oldest first', async () => {
    const { el } = await mount(busyRoom({ messages: makeMessages(5) }));
    const nodes = parts(el, 'message');
    equal(nodes.map((n) => n.dataset.id).join(), 'm1,m2,m3,m4,m5');
    equal(nodes.map((n) => n.dataset.seq).join(), '1,2,3,4,5');
  });

  it('without server or transport shows an error state and fires lc-error instead of throwing', async () => {
    const errors: Event[] = [];
    const box = await fixture<HTMLDivElement>(html`<div @lc-error=${(e: Event) => errors.push(e)}><live-chat></live-chat></div>`);
    const el = box.querySelector('live-chat')!;
    await until(() => errors.length, 'lc-error');
    await settle(el);
    const detail = (errors[0] as any).detail;
    equal(detail.source, 'setup');
    match(detail.error.message, /set the server attribute/);
    equal(text(part(el, 'banner')), 'Chat is not set up on this page.');
    equal(part<HTMLInputElement>(el, 'input')!.disabled, true);
  });

  it('hide-leaderboard hides the leaderboard and its toggle', async () => {
    const { el } = await mount(busyRoom(), { attrs: { 'hide-leaderboard': '' } });
    equal(part(el, 'leaderboard'), undefined);
    equal(part(el, 'leaderboard-toggle'), undefined);
  });

  it('puts the leaderboard beside the messages when wide and behind a toggle when narrow', async () => {
    const wide = await mount(busyRoom(), { width: 760 });
    const board = part(wide.el, 'leaderboard')!;
    const list = part(wide.el, 'message-list')!;
    ok(board.getBoundingClientRect().width > 150, 'leaderboard visible when wide');
    ok(board.getBoundingClientRect().left >= list.getBoundingClientRect().right - 1, 'beside the list');
    equal(getComputedStyle(part(wide.el, 'leaderboard-toggle')!).display, 'none');

    const narrow = await mount(busyRoom(), { width: 300 });
    equal(part(narrow.el, 'leaderboard')!.getBoundingClientRect().width, 0, 'hidden until asked for');
    const toggle = part<HTMLButtonElement>(narrow.el, 'leaderboard-toggle')!;
    equal(toggle.getAttribute('aria-expanded'), 'false');
    toggle.click();
    await settle(narrow.el);
    equal(toggle.getAttribute('aria-expanded'), 'true');
    ok(part(narrow.el, 'leaderboard')!.getBoundingClientRect().width > 250, 'panel open over the list');
  });

  it('fits its container from 280 px wide, with no horizontal overflow', async () => {
    const { el } = await mount(busyRoom(), { width: 280, height: 480 });
    const rect = el.getBoundingClientRect();
    equal(Math.round(rect.width), 280);
    equal(Math.round(rect.height), 480);
    for (const node of all(el, '*')) {
      const r = node.getBoundingClientRect();
      if (r.width && getComputedStyle(node).position !== 'absolute') ok(r.right <= rect.right + 1, `${node.tagName}.${node.className} fits`);
    }
  });

  it('themes: light, dark, and auto following prefers-color-scheme', async () => {
    const bg = (el: LiveChat) => getComputedStyle(part(el, 'base')!).backgroundColor;
    const light = await mount(emptyRoom());
    const dark = await mount(emptyRoom(), { attrs: { theme: 'dark' } });
    equal(bg(light.el), 'rgb(255, 255, 255)');
    equal(bg(dark.el), 'rgb(22, 24, 29)');
  });

  it('lets the page override design tokens', async () => {
    const { el } = await mount(emptyRoom());
    el.style.setProperty('--lc-color-accent', 'rgb(0, 128, 0)');
    equal(getComputedStyle(part(el, 'send-button')!).backgroundColor, 'rgb(0, 128, 0)');
  });

  it('focus() moves focus to the input', async () => {
    const { el } = await mount(emptyRoom());
    el.focus();
    const input = part<HTMLInputElement>(el, 'input')!;
    equal(input.getRootNode() instanceof ShadowRoot && (input.getRootNode() as ShadowRoot).activeElement, input);
  });

  it('switches rooms when the room attribute changes', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(3) }));
    fake.room = { ...fake.room, id: 'other', title: 'Other room' };
    fake.messages = [];
    el.room = 'other';
    await until(() => text(part(el, 'title')) === 'Other room', 'other room');
    // The list renders once per animation frame: the old room's messages go with the next one.
    await until(() => parts(el, 'message').length === 0, 'the old room\'s messages gone');
    ok(fake.calls.some((c) => c.method === 'leave' && c.payload.roomId === 'lobby'), 'left lobby');
    await quiet(el);
  });
});
