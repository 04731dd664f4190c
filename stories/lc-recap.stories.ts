/**
 * `<lc-recap>` alone (issue 9): a session's numbers, the per-minute chart (messages, viewers,
 * hearts in the theme's tokens), the table for screen readers and the top chatters; a quiet
 * session and the loading state (a failed fetch is in test/widget/host-tools.test.ts). Set `recap` to skip the fetch, as these stories do.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { SessionRecap } from 'live-chat-protocol';
import '../widget/host-tools/lc-recap.ts';
import { html, surface, type SurfaceArgs } from './support.ts';

/** A 45-minute session with a busy middle (the draw) and a burst of hearts at the end. */
function scriptedRecap(): SessionRecap {
  const start = Date.parse('2026-11-27T19:00:00Z');
  const timeline = Array.from({ length: 45 }, (_, i) => ({
    minute: new Date(start + i * 60_000).toISOString(),
    messages: Math.round(6 + 30 * Math.exp(-(((i - 24) / 7) ** 2)) + (i % 5)),
    viewers: Math.round(180 + 260 * Math.min(1, i / 20) - (i > 38 ? (i - 38) * 30 : 0)),
    hearts: i > 40 ? 80 - (44 - i) * 10 : i % 7,
  }));
  return {
    roomId: 'lobby',
    sessionId: 'friday-draw',
    startedAt: timeline[0]!.minute,
    endedAt: new Date(start + 45 * 60_000).toISOString(),
    peakViewers: Math.max(...timeline.map((m) => m.viewers)),
    averageViewers: 362.4,
    uniqueChatters: 128,
    messages: timeline.reduce((n, m) => n + m.messages, 0),
    hearts: timeline.reduce((n, m) => n + m.hearts, 0),
    xpAwarded: 1_480,
    coinsAwarded: 212,
    timeline,
    topChatters: [
      { userId: 'u-bo', name: 'Bo Winner', avatarUrl: null, messages: 41, coins: 9, xp: 50 },
      { userId: 'u-ivy', name: 'Ivy', avatarUrl: null, messages: 33, coins: 8, xp: 50 },
      { userId: 'u-anna', name: 'Anna Host', avatarUrl: null, messages: 27, coins: 7, xp: 50 },
      { userId: 'u-kim', name: 'Kim', avatarUrl: null, messages: 12, coins: 4, xp: 24 },
    ],
  };
}

const meta = {
  title: 'Host tools/lc-recap',
  component: 'lc-recap',
  args: { theme: 'light', lang: 'en', width: 640 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
  },
  render: (args) => surface(args, html`<lc-recap theme=${args.theme ?? 'light'} .recap=${scriptedRecap()}></lc-recap>`),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** A finished session: numbers, chart, top chatters. */
export const Finished: Story = {};

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark' } };

/** Swedish. */
export const Swedish: Story = { args: { lang: 'sv' } };

/** A session where nothing happened yet: no chart, a sentence instead. */
export const Quiet: Story = {
  render: (args) =>
    surface(args, html`<lc-recap theme=${args.theme ?? 'light'} .recap=${{ ...scriptedRecap(), endedAt: null, peakViewers: 0, averageViewers: 0, uniqueChatters: 0, messages: 0, hearts: 0, xpAwarded: 0, coinsAwarded: 0, timeline: [], topChatters: [] }}></lc-recap>`),
};

/** Before the recap arrives (no `recap` yet; the fetch has not answered). */
export const Loading: Story = {
  render: (args) => surface(args, html`<lc-recap theme=${args.theme ?? 'light'}></lc-recap>`),
};
