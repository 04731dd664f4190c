/**
 * What a new user met and issue 10 (item 12) mends: the coin chip reads "+1" under dir=rtl,
 * the leaderboard keeps "(you)" whole next to a long name, and offline is said once (the
 * banner), the composer adding only what waits.
 */
import { emptyRoom, member, message, users } from '../support/fixtures.ts';
import { afterEach, cleanup, describe, equal, it, mount, ok, part, parts, quiet, text, typeAndSend, until } from './helpers.ts';

describe('mended', () => {
  afterEach(cleanup);

  it('the coin chip reads +1 under dir=rtl: the sign before the number', async () => {
    const { el } = await mount(emptyRoom({ messages: [message(1, 'مرحبا', users.anna, { reward: { xp: 1, coins: 1 } })] }), { attrs: { dir: 'rtl', lang: 'ar' } });
    const coin = part(el, 'coin')!;
    const rect = (match: string) => {
      const node = [...coin.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() === match)!;
      const range = document.createRange();
      range.selectNodeContents(node);
      return range.getBoundingClientRect();
    };
    const plus = rect('+');
    const one = rect('1');
    ok(plus.left < one.left, `"+" (${plus.left}) is left of "1" (${one.left})`);
  });

  it('the leaderboard keeps "(you)" whole beside a long name in the demo\'s 640 px column', async () => {
    const me = { ...member, user: { ...member.user, name: 'Dave Maximilian Longname-Fitzgerald' } };
    const { el } = await mount(
      emptyRoom({ me, leaderboard: [{ rank: 1, userId: 'me', name: me.user.name, avatarUrl: null, coins: 3, messages: 12 }] }),
      { width: 640 },
    );
    const row = await until(() => parts(el, 'leaderboard-row').find((r) => r.dataset.userId === 'me'), 'my row');
    const you = row.shadowRoot?.querySelector('.you') ?? part(el, 'leaderboard')!.shadowRoot!.querySelector('.you')!;
    equal(text(you), '(you)');
    ok(you.scrollWidth <= you.clientWidth + 1, `"(you)" is not cut (${you.scrollWidth} > ${you.clientWidth})`);
  });

  it('offline is said once: the banner; the composer adds only how many messages wait', async () => {
    const { el, fake } = await mount(emptyRoom());
    fake.setOnline(false);
    await until(() => part(el, 'banner'), 'the banner');
    equal(text(part(el, 'composer-status')), '', 'nothing more while nothing waits');
    await typeAndSend(el, 'later');
    await quiet(el).catch(() => undefined);
    equal(text(part(el, 'composer-status')), 'Offline: 1 waiting to be sent');
  });
});
