/**
 * `<lc-leaderboard>` alone: the session's top chatters at rest, climbing (FLIP slide, glow,
 * "+1", green arrow), frozen mid-animation, empty, with the user's own row, long names.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-leaderboard.ts';
import { busyRoom, makeLeaderboard, member } from '../test/support/fixtures.ts';
import type { LeaderboardEntry } from 'live-chat-protocol';
import type { LcLeaderboard } from '../widget/components/lc-leaderboard.ts';
import type { FakeTransportOptions } from '../test/support/fake-transport.ts';
import { deep, freezeSlideHalfWay, html, storesFrom, surface, until, type SurfaceArgs } from './support.ts';

interface BoardArgs extends SurfaceArgs {
  /** The `limit` attribute: rows shown at most. */
  limit: number;
}

const board = (args: BoardArgs, fixture: FakeTransportOptions = busyRoom({ leaderboard: makeLeaderboard(10) })) => {
  const stores = storesFrom(fixture, { lang: args.lang });
  return surface(args, html`<lc-leaderboard .stores=${stores} limit=${args.limit}></lc-leaderboard>`);
};

/** The 8th row earns 9 coins and climbs to 2nd place, as a `leaderboard:update` would say. */
function climb(el: LcLeaderboard): void {
  const $board = el.stores!.leaderboard.$leaderboard;
  const rows = [...$board.get()];
  const [mover] = rows.splice(7, 1);
  rows.splice(1, 0, { ...mover!, coins: rows[1]!.coins + 1, messages: mover!.messages + 1 });
  $board.set(rows.map((e, i): LeaderboardEntry => ({ ...e, rank: i + 1 })));
}

const meta = {
  title: 'Elements/lc-leaderboard',
  component: 'lc-leaderboard',
  args: { theme: 'light', lang: 'en', width: 300, limit: 10 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 200, max: 600, step: 10 } },
    limit: { control: { type: 'range', min: 1, max: 10, step: 1 } },
  },
  render: (args) => board(args),
} satisfies Meta<BoardArgs>;
export default meta;
type Story = StoryObj<BoardArgs>;

/** Ten rows at rest: rank, avatar, name, messages, coins. */
export const Idle: Story = {};

/** Nobody has earned yet: "Send a message to get on the board". */
export const Empty: Story = { render: (args) => board(args, busyRoom({ leaderboard: [] })) };

/** The user's own row is marked ("(you)", `aria-current`). */
export const WithOwnRow: Story = {
  render: (args) =>
    board(
      args,
      busyRoom({
        leaderboard: makeLeaderboard(6).map((e, i) => (i === 2 ? { ...e, userId: member.user.id, name: member.user.name, avatarUrl: null } : e)),
      }),
    ),
};

/** A row earns and climbs: glow, floating "+1", slide up, green arrow (remount to replay). */
export const Climbing: Story = {
  play: async ({ canvasElement }) => {
    const el = canvasElement.querySelector('lc-leaderboard')!;
    await until(() => el.shadowRoot!.querySelectorAll('[part~="leaderboard-row"]').length === 10, 'the rows');
    climb(el);
    await until(() => !!el.shadowRoot!.querySelector('[part~="rank-up"]'), 'the up-arrow');
  },
};

/** The climb frozen half way through its slide; the glow, arrow and "+1" play on and go after 2.4 s. */
export const MidAnimation: Story = {
  play: async ({ canvasElement }) => {
    const el = canvasElement.querySelector('lc-leaderboard')!;
    await until(() => el.shadowRoot!.querySelectorAll('[part~="leaderboard-row"]').length === 10, 'the rows');
    climb(el);
    await freezeSlideHalfWay(el.shadowRoot!);
    deep(el, '[part~="rank-up"]');
  },
};

/** Three rows only (`limit="3"`). */
export const TopThree: Story = { args: { limit: 3 } };

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark' } };

/** Swedish. */
export const Swedish: Story = { args: { lang: 'sv' } };

/** Right to left. */
export const RightToLeft: Story = { args: { lang: 'ar' } };
