import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { AxeResults } from 'axe-core';
import 'axe-core/axe.min.js';
import { busyRoom, guest, makeMessages, rooms, users } from '../support/fixtures.ts';
import type { LiveChat } from '../../widget/live-chat.ts';
import { afterEach, all, cleanup, describe, equal, hover, quiet, it, mount, ok, part, parts, settle } from './helpers.ts';

const axe = (globalThis as any).axe as { run(context: Element, options: object): Promise<AxeResults> };

/** axe-core on the element, through its shadow roots; fails on serious or critical findings. */
async function audit(el: LiveChat): Promise<void> {
  const results = await axe.run(el, { resultTypes: ['violations'] });
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join('\n  ')}`);
  equal(report.join('\n'), '', 'axe violations');
}

/** The element focused inside nested shadow roots. */
function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

describe('accessibility', () => {
  afterEach(async () => {
    cleanup();
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  const room = () => {
    const messages = makeMessages(40);
    messages.push({ ...messages[39]!, id: 'm41', seq: 41, user: users.hal, reward: { xp: 1, coins: 1 }, likes: 3 });
    return busyRoom({ messages });
  };

  for (const theme of ['light', 'dark'] as const) {
    it(`axe finds nothing serious in the ${theme} theme, wide and narrow (contrast included)`, async () => {
      const wide = await mount(room(), { width: 760, attrs: { theme } });
      // With the shared toolbar (react, reply, hide) shown in a message.
      hover(parts(wide.el, 'message')[3]!);
      ok(part(wide.el, 'react-button'), 'the toolbar');
      await audit(wide.el);
      const narrow = await mount(room(), { width: 300, attrs: { theme } });
      part<HTMLButtonElement>(narrow.el, 'leaderboard-toggle')!.click();
      await settle(narrow.el);
      await audit(narrow.el);
    });
  }

  it('axe finds nothing serious in the guest, countdown and error states', async () => {
    for (const options of [busyRoom({ me: guest }), busyRoom({ room: rooms.notYetOpen() })]) {
      const { el } = await mount(options);
      await audit(el);
    }
    const { el } = await mount(busyRoom({ acceptToken: () => false }), { attrs: { theme: 'dark' }, waitOnline: false });
    await quiet(el);
    await audit(el);
  });

  it('theme="auto" follows prefers-color-scheme', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const { el } = await mount(room(), { attrs: { theme: 'auto' } });
    equal(getComputedStyle(part(el, 'base')!).backgroundColor, 'rgb(22, 24, 29)');
    await emulateMedia({ colorScheme: 'light' });
    equal(getComputedStyle(part(el, 'base')!).backgroundColor, 'rgb(255, 255, 255)');
  });

  it('keyboard only: Tab reaches the log, each message\'s toolbar once (its like button), input, heart, send; Enter sends', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(3) }), { width: 760 });
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    const reached: string[] = [];
    for (let i = 0; i < 9; i++) {
      await sendKeys({ press: 'Tab' });
      const a = deepActive()!;
      reached.push(a.getAttribute('part') ?? a.getAttribute('role') ?? a.tagName);
    }
    before.remove();
    // The send button is disabled (and skipped) while the input is empty; then Tab leaves.
    // The leaderboard beside the list scrolls, so it is a tab stop too.
    equal(reached.slice(0, 8).join(), 'log,like-button,like-button,like-button,SECTION,input,heart-button,BODY');
    part<HTMLInputElement>(el, 'input')!.focus();
    await sendKeys({ type: 'x' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    equal(deepActive()!.getAttribute('part'), 'send-button', 'send is reachable once there is text');
    part<HTMLInputElement>(el, 'input')!.focus();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'typed by keyboard' });
    await sendKeys({ press: 'Enter' });
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'send').at(-1)!.payload.text, 'typed by keyboard');
  });

  it('focus is visible', async () => {
    const { el } = await mount(busyRoom({ messages: makeMessages(3) }));
    part<HTMLInputElement>(el, 'input')!.focus();
    await sendKeys({ press: 'Tab' });
    const heart = deepActive()!;
    equal(heart.getAttribute('part'), 'heart-button');
    equal(getComputedStyle(heart).outlineStyle, 'solid');
  });

  it('Escape closes the leaderboard panel and gives focus back to its toggle', async () => {
    const { el } = await mount(busyRoom(), { width: 300 });
    const toggle = part<HTMLButtonElement>(el, 'leaderboard-toggle')!;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    equal(toggle.getAttribute('aria-expanded'), 'true');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Escape' });
    await settle(el);
    equal(toggle.getAttribute('aria-expanded'), 'false');
    equal(deepActive(), toggle);
  });

  it('controls have accessible names', async () => {
    const { el } = await mount(busyRoom({ messages: makeMessages(3) }));
    for (const name of ['heart-button', 'send-button', 'leaderboard-toggle']) {
      ok(part(el, name)!.getAttribute('aria-label'), `${name} has a name`);
    }
    equal(part(el, 'like-button')!.querySelector('.sr')!.textContent!.trim(), 'Like');
    ok(all(el, 'input')[0]!.closest('label'), 'the input has a label');
    equal(parts(el, 'like-button')[0]!.getAttribute('aria-pressed'), 'false');
  });
});
