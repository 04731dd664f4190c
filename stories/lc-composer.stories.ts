/**
 * `<lc-composer>` alone, in each of its modes: open, near and over the 2000-character limit,
 * before the chat opens (countdown), closed, guest ("Sign in to chat" and the `sign-in`
 * slot), connecting, reconnecting with queued messages, and the inline errors.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-composer.ts';
import { busyRoom, guest, member, rooms } from '../test/support/fixtures.ts';
import type { ChatStores } from '../widget/state/chat-stores.ts';
import type { FakeTransportOptions } from '../test/support/fake-transport.ts';
import { html, nothing, storesFrom, surface, type SurfaceArgs } from './support.ts';

const composer = (args: SurfaceArgs, fixture: FakeTransportOptions = busyRoom(), prepare?: (s: ChatStores) => void, signIn = false) => {
  const stores = storesFrom(fixture, { lang: args.lang });
  prepare?.(stores);
  return surface(
    args,
    html`<lc-composer .stores=${stores}
      >${signIn ? html`<button slot="sign-in" type="button">Sign in</button>` : nothing}</lc-composer
    >`,
  );
};

const meta = {
  title: 'Elements/lc-composer',
  component: 'lc-composer',
  args: { theme: 'light', lang: 'en', width: 460 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
  },
  render: (args) => composer(args),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** Open, signed in: input, heart, send, and the XP line ("Lv 4", progress, "32 / 50 XP today"). */
export const Open: Story = {};

/** A draft of 1 900 characters: the counter shows 100 left. */
export const NearTheLimit: Story = {
  render: (args) => composer(args, busyRoom(), (s) => s.ui.$draft.set('a'.repeat(1900))),
};

/** A draft of 2 050 characters: the counter goes red, send is disabled. */
export const OverTheLimit: Story = {
  render: (args) => composer(args, busyRoom(), (s) => s.ui.$draft.set('a'.repeat(2050))),
};

/** The daily XP cap reached: "50 / 50 XP today". */
export const DailyCapReached: Story = {
  render: (args) => composer(args, busyRoom({ me: { ...member, progress: { ...member.progress!, dailyXp: 50 } } })),
};

/** Before `opensAt`: "Chat opens in 12:34", disabled. */
export const NotYetOpen: Story = { render: (args) => composer(args, busyRoom({ room: rooms.notYetOpen() })) };

/** After `closesAt`: "Chat has closed". */
export const Closed: Story = { render: (args) => composer(args, busyRoom({ room: rooms.closed() })) };

/** A guest: "Sign in to chat" and the page's own button in the `sign-in` slot. */
export const Guest: Story = { render: (args) => composer(args, busyRoom({ me: guest }), undefined, true) };

/** Before the first join: "Connecting…". */
export const Connecting: Story = {
  render: (args) =>
    composer(args, busyRoom(), (s) => {
      s.room.$room.set(null);
      s.connection.$connection.set({ status: 'connecting', error: null });
    }),
};

/** Offline with two messages waiting: they will be sent when back online. */
export const ReconnectingWithQueue: Story = {
  render: (args) =>
    composer(args, busyRoom(), (s) => {
      s.connection.$connection.set({ status: 'reconnecting', error: { code: 'offline', message: 'offline' } });
      const now = Date.now();
      s.outbox.add({ clientId: 'c1', roomId: 'lobby', text: 'one', createdAt: now, state: 'queued' });
      s.outbox.add({ clientId: 'c2', roomId: 'lobby', text: 'two', createdAt: now, state: 'queued' });
    }),
};

/** Refused with `rate_limited`: "You're sending too fast. Try again in 12 s." (counts down). */
export const RateLimited: Story = {
  render: (args) =>
    composer(args, busyRoom(), (s) =>
      s.ui.$composerError.set({ error: { code: 'rate_limited', message: 'rate_limited', retryAfterMs: 12_000 }, until: Date.now() + 12_000 }),
    ),
};

/** Refused with `slow_mode`. */
export const SlowMode: Story = {
  render: (args) =>
    composer(args, busyRoom(), (s) =>
      s.ui.$composerError.set({ error: { code: 'slow_mode', message: 'slow_mode', retryAfterMs: 30_000 }, until: Date.now() + 30_000 }),
    ),
};

/** Timed out by a moderator for 5 minutes. */
export const TimedOut: Story = {
  render: (args) =>
    composer(args, busyRoom(), (s) =>
      s.ui.$composerError.set({ error: { code: 'timed_out', message: 'timed_out', retryAfterMs: 300_000 }, until: Date.now() + 300_000 }),
    ),
};

/** Refused with `too_long`. */
export const TooLong: Story = {
  render: (args) => composer(args, busyRoom(), (s) => s.ui.$composerError.set({ error: { code: 'too_long', message: 'too_long' } })),
};

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark' } };

/** Dark theme with an error. */
export const DarkRateLimited: Story = { ...RateLimited, args: { theme: 'dark' } };

/** Swedish, before the chat opens. */
export const Swedish: Story = { args: { lang: 'sv' }, render: (args) => composer(args, busyRoom({ room: rooms.notYetOpen() })) };

/** 280 px, the narrowest supported width. */
export const Narrow280: Story = { args: { width: 280 } };

/** Typing "@": the suggestion list of recent chatters (↑ ↓, Enter or Tab, Escape). */
export const MentionSuggestions: Story = {
  render: (args) => composer(args, busyRoom(), (s) => s.ui.setDraft('great play @')),
};
