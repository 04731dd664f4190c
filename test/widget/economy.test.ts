import { emulateMedia } from '@web/test-runner-commands';
import { levelInfo, levelStartXp } from 'live-chat-protocol';
import { emptyRoom, makeLeaderboard, member, message, users } from '../support/fixtures.ts';
import type { Reward } from 'live-chat-protocol';
import type { LcLevelUpEvent, LcRewardEvent } from '../../widget/live-chat.ts';
import { afterEach, cleanup, deepEqual, describe, equal, quiet, it, match, mount, ok, part, parts, settle, text, typeAndSend, until } from './helpers.ts';

const rowIds = (el: Element) => parts(el, 'leaderboard-row').map((r) => r.dataset.userId);
const animations = (el: Element) => parts(el, 'leaderboard-row').flatMap((r) => r.getAnimations());

describe('economy', () => {
  afterEach(async () => {
    cleanup();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('shows a gold coin chip only on messages that earned coins, with a text alternative', async () => {
    const { el } = await mount(emptyRoom({
      messages: [
        message(1, 'earned', users.bo, { reward: { xp: 1, coins: 1 } }),
        message(2, 'xp only', users.ivy, { reward: { xp: 1, coins: 0 } }),
        message(3, 'nothing', users.kim, { reward: null }),
        message(4, 'two', users.anna, { reward: { xp: 1, coins: 2 } }),
      ],
    }));
    const [a, b, c, d] = parts(el, 'message');
    const coin = part(a!, 'coin')!;
    equal(text(coin), '+1');
    equal(coin.getAttribute('role'), 'img');
    equal(coin.getAttribute('aria-label'), 'earned 1 coin');
    equal(part(b!, 'coin'), undefined);
    equal(part(c!, 'coin'), undefined);
    equal(part(d!, 'coin')!.getAttribute('aria-label'), 'earned 2 coins');
  });

  it('a reward updates XP, fires lc-reward once (ack, then the same reward as an event), and shows the coin on the own message', async () => {
    const { el, fake, events } = await mount(emptyRoom({ me: member }));
    await typeAndSend(el, 'earn me');
    await quiet(el);
    // The `reward` event of the same message, as a connection gets it after a retry across a reconnect.
    fake.push('reward', (events.find((e) => e.type === 'lc-reward') as LcRewardEvent).detail);
    await quiet(el);
    const rewards = events.filter((e) => e.type === 'lc-reward') as LcRewardEvent[];
    equal(rewards.length, 1, 'once, although it came twice');
    equal(rewards[0]!.detail.xp, 1);
    equal(rewards[0]!.detail.coins, 1);
    match(text(part(el, 'xp')), /33 \/ 50 XP today/);
    equal(text(part(el, 'coin')), '+1');
  });

  it('rewards from several tabs: deduped by messageId, progress never moves back, lc-reward once per message', async () => {
    const { el, fake, events } = await mount(emptyRoom({ me: member }));
    const p = member.progress!;
    const reward = (messageId: string, n: number): Reward => ({
      messageId, xp: 1, coins: 1, totalXp: p.totalXp + n, level: p.level, leveledUp: false, dailyXp: p.dailyXp + n,
      dailyXpCap: p.dailyXpCap, coinBalance: p.coinBalance + n, sessionCoins: n, coinReason: 'chat_message',
      levelStartXp: p.levelStartXp, nextLevelXp: p.nextLevelXp,
    });
    // The other tab's second message is reported first, then its first one, then both again.
    fake.push('reward', reward('m2', 2));
    fake.push('reward', reward('m1', 1));
    fake.push('reward', reward('m2', 2));
    fake.push('reward', reward('m1', 1));
    await until(() => events.filter((e) => e.type === 'lc-reward').length === 2, 'two rewards');
    await quiet(el);
    const fired = (events.filter((e) => e.type === 'lc-reward') as LcRewardEvent[]).map((e) => e.detail.messageId);
    deepEqual(fired, ['m2', 'm1'], 'once per message');
    match(text(part(el, 'xp')), /34 \/ 50 XP today/, 'the late m1 did not move progress back');
    equal(el.stores.me.$me.get()!.progress!.coinBalance, p.coinBalance + 2);
  });

  it('level-up on the server\'s curve: a "Level 5!" toast and lc-level-up', async () => {
    // One XP short of level 5 as server/services/levels.ts counts it (not the fixture's numbers).
    const { el, events } = await mount(emptyRoom({ me: { ...member, progress: { ...member.progress!, ...levelInfo(levelStartXp(5) - 1), totalXp: levelStartXp(5) - 1, dailyXp: 10 } } }));
    equal(part(el, 'toast'), undefined);
    await typeAndSend(el, 'the hundredth XP');
    await quiet(el);
    const up = events.filter((e) => e.type === 'lc-level-up') as LcLevelUpEvent[];
    equal(up.length, 1);
    equal(up[0]!.detail.level, 5);
    const toast = await until(() => part(el, 'toast'), 'toast');
    equal(text(toast), '🎉Level 5!');
    ok(toast.closest('[role="status"]'), 'announced politely');
    match(text(part(el, 'xp')), /Lv 5/);
  });

  it('Escape dismisses the toast', async () => {
    const { el } = await mount(emptyRoom());
    el.stores.ui.$toast.set({ id: 1, text: 'Level 9!' });
    await settle(el);
    ok(part(el, 'toast'));
    part(el, 'input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await settle(el);
    equal(part(el, 'toast'), undefined);
  });

  it('leaderboard: rows with rank, name, messages and coins; the user marked', async () => {
    const board = makeLeaderboard(4);
    board[2] = { ...board[2]!, userId: 'me', name: 'Sam Viewer' };
    const { el } = await mount(emptyRoom({ me: member, leaderboard: board }), { width: 720 });
    const rows = parts(el, 'leaderboard-row');
    equal(rows.length, 4);
    match(text(rows[0]), /^1 BW Bo Winner 40 messages 14 coins/);
    equal(text(rows[0]!.querySelector('.rank')), '1');
    equal(rows[2]!.getAttribute('aria-current'), 'true');
    match(text(rows[2]), /Sam Viewer \(you\)/);
  });

  it('a row that climbs slides to its place (FLIP) with an up-arrow; one that earns glows with "+1"', async () => {
    const { el, fake } = await mount(emptyRoom({ leaderboard: makeLeaderboard(5) }), { width: 720 });
    equal(rowIds(el).join(), 'u-bo,u-ivy,u-anna,u-kim,u-jon');
    const kimBefore = parts(el, 'leaderboard-row')[3]!.getBoundingClientRect().top;
    // Kim earns 10 coins (8 → 18) and goes from 4th to 1st.
    fake.setLeaderboard(fake.leaderboard.map(({ rank: _, ...e }) => (e.userId === 'u-kim' ? { ...e, coins: e.coins + 10 } : e)));
    await quiet(el);
    const kim = parts(el, 'leaderboard-row').find((r) => r.dataset.userId === 'u-kim')!;
    const slide = kim.getAnimations().find((a) => ((a.effect as KeyframeEffect).getKeyframes()[0] as any).transform?.startsWith('translateY'));
    ok(slide, 'the climbing row slides');
    ok(part(kim, 'rank-up'), 'green up-arrow');
    equal(part(kim, 'rank-up')!.getAttribute('aria-label'), 'moved up');
    equal(text(part(kim, 'leaderboard-gain')), '+10');
    ok(kim.classList.contains('earned'), 'glows');
    await Promise.all(animations(el).map((a) => a.finished));
    const from = Number(/translateY\((-?[\d.]+)px\)/.exec((slide!.effect as KeyframeEffect).getKeyframes()[0]!.transform as string)![1]);
    ok(Math.abs(from - (kimBefore - kim.getBoundingClientRect().top)) < 1, `slides from its old place (${from}px)`);
    equal(rowIds(el).join(), 'u-kim,u-bo,u-ivy,u-anna,u-jon', 'ends in the new order');
    equal(parts(el, 'leaderboard-row')[0]!.getBoundingClientRect().top < parts(el, 'leaderboard-row')[1]!.getBoundingClientRect().top, true);
    equal(text(parts(el, 'leaderboard-row')[0]!.querySelector('.rank')), '1');
  });

  it('prefers-reduced-motion: nothing moves, the arrow and "+1" still show', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { el, fake } = await mount(emptyRoom({ leaderboard: makeLeaderboard(5) }), { width: 720 });
    // Jon earns 3 coins (6 → 9) and passes Kim (8): 5th → 4th by the board's order.
    fake.setLeaderboard(fake.leaderboard.map(({ rank: _, ...e }) => (e.userId === 'u-jon' ? { ...e, coins: e.coins + 3 } : e)));
    await quiet(el);
    equal(rowIds(el).join(), 'u-bo,u-ivy,u-anna,u-jon,u-kim');
    equal(animations(el).length, 0, 'no slide, no glow animation');
    const jon = parts(el, 'leaderboard-row')[3]!;
    ok(part(jon, 'rank-up'), 'up-arrow kept');
    equal(text(part(jon, 'leaderboard-gain')), '+3');
    equal(getComputedStyle(part(jon, 'leaderboard-gain')!).opacity, '1', 'the "+1" stays visible');
  });

  it('the own message climbs the board live (FakeTransport economy)', async () => {
    const { el } = await mount(emptyRoom({ me: member, leaderboard: makeLeaderboard(3) }), { width: 720 });
    await typeAndSend(el, 'hi');
    await quiet(el);
    ok(rowIds(el).includes('me'), `rows: ${rowIds(el).join()}`);
  });
});
