/**
 * `<lc-header>` alone: room title, live dot, viewer count (occupancy) and session likes in
 * compact `Intl` notation, and the leaderboard toggle of the narrow layout.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-header.ts';
import { busyRoom, emptyRoom, rooms } from '../test/support/fixtures.ts';
import type { FakeTransportOptions } from '../test/support/fake-transport.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

interface HeaderArgs extends SurfaceArgs {
  /** The `leaderboard` attribute: offer the leaderboard toggle. */
  leaderboard: boolean;
}

const header = (args: HeaderArgs, fixture: FakeTransportOptions = busyRoom(), status: 'online' | 'reconnecting' = 'online') => {
  const stores = storesFrom(fixture, { lang: args.lang });
  stores.connection.$connection.set({ status, error: null });
  return surface(args, html`<lc-header .stores=${stores} ?leaderboard=${args.leaderboard}></lc-header>`);
};

const meta = {
  title: 'Elements/lc-header',
  component: 'lc-header',
  args: { theme: 'light', lang: 'en', width: 480, leaderboard: false },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
  },
  render: (args) => header(args),
} satisfies Meta<HeaderArgs>;
export default meta;
type Story = StoryObj<HeaderArgs>;

/** Live, 12.3K watching, 4.8K likes. */
export const Default: Story = {};

/** With the trophy button that opens the leaderboard panel (narrow layout). */
export const WithLeaderboardToggle: Story = { args: { leaderboard: true, width: 320 } };

/** A quiet room: 3 watching, no likes. */
export const QuietRoom: Story = { render: (args) => header(args, emptyRoom()) };

/** Counts in the millions. */
export const BigNumbers: Story = { render: (args) => header(args, busyRoom({ stats: { viewers: 1_234_567, likes: 98_765_432 } })) };

/** A title too long for one line, at 320 px. */
export const LongTitle: Story = {
  args: { width: 320, leaderboard: true },
  render: (args) =>
    header(args, busyRoom({ room: { ...rooms.open(), title: 'The Grand Friday Night Championship Draw — Live from the Stockholm Arena' } })),
};

/** Not live: the connection was lost (the dot goes grey). */
export const Reconnecting: Story = { render: (args) => header(args, busyRoom(), 'reconnecting') };

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark', leaderboard: true } };

/** Swedish: "12,3 tn" style compact numbers. */
export const Swedish: Story = { args: { lang: 'sv' } };

/** Right to left. */
export const RightToLeft: Story = {
  args: { lang: 'ar', leaderboard: true },
  render: (args) => header(args, busyRoom({ room: { ...rooms.open(), title: 'السحب الكبير' } })),
};
