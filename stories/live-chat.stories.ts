/**
 * `<live-chat>`: every visual state a designer signs off (issue 4, "Storybook"), each on a
 * `FakeTransport` with fixture data, no server. States that need an action (a send that is
 * refused, a network loss, a level-up, a leaderboard climb) reach it in `play`, through the
 * same UI a user would touch, and check what they reached with `expect`.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent } from 'storybook/test';
import {
  badgeUsers,
  busyRoom,
  chatter,
  crowd,
  emptyRoom,
  guest,
  makeLeaderboard,
  makeMessages,
  member,
  message,
  rooms,
  texts,
  users,
} from '../test/support/fixtures.ts';
import type { LiveChat } from '../widget/live-chat.ts';
import type { FakeTransport } from '../test/support/fake-transport.ts';
import themeExample from './theme-example.css?raw';
import {
  chatArgTypes,
  chatArgs,
  chatIn,
  deep,
  html,
  freezeSlideHalfWay,
  joined,
  pageBackground,
  renderChat,
  room,
  simulateWhileShown,
  until,
  type ChatArgs,
} from './support.ts';

const meta = {
  title: 'live-chat',
  component: 'live-chat',
  args: chatArgs,
  argTypes: chatArgTypes,
  render: (args) => renderChat(args),
  parameters: { layout: 'fullscreen' },
} satisfies Meta<ChatArgs>;
export default meta;
type Story = StoryObj<ChatArgs>;

/** Types `text` into the composer and presses Enter, as a user would. */
async function say(el: LiveChat, text: string): Promise<void> {
  const input = deep<HTMLInputElement>(el, 'lc-composer', 'input');
  await userEvent.click(input);
  await userEvent.type(input, `${text}{Enter}`);
}

/** The composer's status line ("Chat opens in 12:34", errors…). */
const statusOf = (el: LiveChat) => deep(el, 'lc-composer', '[part="composer-status"]');

/** Messages with long names, long words, a URL, right-to-left text and markup that must stay text. */
const stressMessages = [
  message(1, texts.longWord, users.long),
  message(2, texts.url, users.kim, { likes: 3 }),
  message(3, texts.long, users.hal, { reward: { xp: 1, coins: 1 } }),
  message(4, texts.rtl, users.rtl),
  message(5, texts.xss, users.broken),
  message(6, texts.emoji, users.ivy),
  message(7, 'x'.repeat(300), users.long),
];

/* ------------------------------------------------------------------ rooms and messages */

/** A busy room: 300 messages in history, all sent on join; the element keeps the last 200. 12.3K viewers. */
export const BusyChat: Story = {
  render: (args) => renderChat(args, busyRoom({ limits: { historyLimit: 300 } })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await until(() => deep(el, 'lc-message-list').shadowRoot!.querySelectorAll('[part~="message"]').length === 200, '200 messages');
  },
};

/** Simulated chatter: a new message every 2 s, coins, and a leaderboard that moves. */
export const LiveRoom: Story = {
  play: async ({ canvasElement }) => {
    const { el, fake } = chatIn(canvasElement);
    await joined(el);
    simulateWhileShown(fake, [users.bo, users.ivy, users.kim, users.anna], chatter, 2000);
  },
};

/** An open room with no message yet. */
export const EmptyRoom: Story = {
  render: (args) => renderChat(args, emptyRoom()),
};

/** Long names, long unbroken words, a long URL, RTL text and markup that stays text. */
export const LongWordsAndNames: Story = {
  render: (args) => renderChat(args, emptyRoom({ messages: stressMessages, leaderboard: makeLeaderboard(8) })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    const list = deep(el, 'lc-message-list');
    await until(() => list.shadowRoot!.querySelectorAll('[part~="message"]').length === stressMessages.length, 'the messages');
    // The injection attempt is shown as characters: no <img> from user text.
    const xss = deep(list, '[part~="message"][data-id="m5"]');
    await expect(xss.querySelector('[part="message-text"] img')).toBeNull();
  },
};

/** One message from each badge combination: none, HOST, WINNER, MOD, and every pair and all three. */
export const EveryBadge: Story = {
  render: (args) =>
    renderChat(args, emptyRoom({ messages: badgeUsers.map((u, i) => message(i + 1, `Hi, I am ${u.name}`, u)), leaderboard: makeLeaderboard(5) })),
};

/** Coin chips (+1, +3) on messages that earned coins, none on others, and like counts up to 1.2K. */
export const CoinChipsAndLikes: Story = {
  render: (args) =>
    renderChat(
      args,
      emptyRoom({
        messages: [
          message(1, 'No coin on this one', users.dev),
          message(2, 'Earned a coin!', users.ivy, { reward: { xp: 1, coins: 1 } }),
          message(3, 'A bonus of three coins', users.bo, { reward: { xp: 1, coins: 3 }, likes: 1 }),
          message(4, 'Liked by a dozen', users.kim, { likes: 12 }),
          message(5, 'Everybody loves this one', users.anna, { likes: 1234, reward: { xp: 1, coins: 1 } }),
          message(6, 'Liked by me', users.jon, { likes: 4 }),
        ],
        leaderboard: makeLeaderboard(5),
      }),
    ),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    const list = deep(el, 'lc-message-list');
    await until(() => !!list.shadowRoot!.querySelector('[data-id="m6"] [part="like-button"]'), 'the like button');
    const mine = deep(list, '[part~="message"][data-id="m6"]');
    await userEvent.click(deep(mine, '[part="like-button"]'));
    await until(() => deep(mine, '[part="like-button"]').getAttribute('aria-pressed') === 'true', 'the like to register');
  },
};

/* ------------------------------------------------------------------ leaderboard and economy */

/** The session leaderboard beside the messages (wide layout), at rest. */
export const LeaderboardIdle: Story = {
  args: { width: 900 },
};

/** Moves the last row of the leaderboard up to second place, as a `leaderboard:update` would. */
function climb(el: LiveChat): void {
  const fake = el.transport as FakeTransport;
  const entries = fake.leaderboard.map(({ rank: _, ...e }) => e);
  const mover = entries.pop()!;
  const [first, ...rest] = entries;
  const coins = Math.min(first!.coins, Math.max(mover.coins, rest[0]?.coins ?? 0) + 1);
  fake.setLeaderboard([first!, { ...mover, coins, messages: mover.messages + 1 }, ...rest]);
}

/**
 * A row that earns glows and shows "+1", then slides up to its new place with a green arrow.
 * Press "Climb again" to replay.
 */
export const LeaderboardClimbing: Story = {
  args: { width: 900 },
  render: (args) => html`<div class="climb-demo">
    ${renderChat(args, room({ leaderboard: makeLeaderboard(10) }))}
    <p style="margin: 0 16px 16px">
      <button
        type="button"
        @click=${(e: Event) => climb((e.currentTarget as HTMLElement).closest('.climb-demo')!.querySelector('live-chat')!)}
      >
        Climb again
      </button>
    </p>
  </div>`,
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    climb(el);
    const board = deep(el, 'lc-leaderboard');
    await until(() => !!board.shadowRoot?.querySelector('[part~="rank-up"]'), 'the up-arrow');
  },
};

/**
 * The climb frozen half way: the row between its old and new place. Its glow, arrow and "+1"
 * play on and go after 2.4 s; the frozen slide stays.
 */
export const LeaderboardMidAnimation: Story = {
  args: { width: 900 },
  render: (args) => renderChat(args, room({ leaderboard: makeLeaderboard(10) })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    climb(el);
    await freezeSlideHalfWay(deep(el, 'lc-leaderboard').shadowRoot!);
  },
};

/** The level-up toast ("Level 3!") after a message that crosses a level. */
export const LevelUpToast: Story = {
  render: (args) =>
    renderChat(
      args,
      room({
        me: { ...member, progress: { ...member.progress!, totalXp: 74, level: 2, levelStartXp: 25, nextLevelXp: 75, dailyXp: 12 } },
      }),
    ),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await say(el, 'GG everyone!');
    const toast = deep(el, 'lc-toast');
    await until(() => !!toast.shadowRoot?.querySelector('[part="toast"]'), 'the level-up toast');
    await expect(deep(toast, '[part="toast"]').textContent).toContain('3');
  },
};

/* ------------------------------------------------------------------ the chat window and who may post */

/** Before the room's `opensAt`: "Chat opens in 12:34", input disabled. */
export const NotYetOpen: Story = {
  render: (args) => renderChat(args, emptyRoom({ room: rooms.notYetOpen() })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await until(() => /\d+:\d\d/.test(statusOf(el).textContent ?? ''), 'the countdown');
    await expect(deep<HTMLInputElement>(el, 'lc-composer', 'input').disabled).toBe(true);
  },
};

/** After the room's `closesAt`: "Chat has closed", history still readable. */
export const Closed: Story = {
  render: (args) => renderChat(args, room({ room: rooms.closed() })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await expect(deep<HTMLInputElement>(el, 'lc-composer', 'input').disabled).toBe(true);
  },
};

/** A guest who can read but not post: "Sign in to chat" and the site's own sign-in button (slot `sign-in`). */
export const GuestCannotPost: Story = {
  render: (args) =>
    renderChat(args, room({ me: guest }), {
      light: html`<button slot="sign-in" type="button" @click=${() => alert('The site signs the user in here.')}>Sign in</button>`,
    }),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await expect(deep<HTMLInputElement>(el, 'lc-composer', 'input').disabled).toBe(true);
  },
};

/* ------------------------------------------------------------------ issue 10: what viewers reach for */

/** Someone is typing (a small room): "Kim is typing…" above the composer. */
export const Typing: Story = {
  play: async ({ canvasElement }) => {
    const { el, fake } = chatIn(canvasElement);
    await joined(el);
    fake.setStats({ viewers: 14 }); // a small room: typing is shown at or under limits.smallRoomLimit
    fake.push('typing', { roomId: fake.room.id, users: [fake.messages.at(-1)!.user] });
    await until(() => !!deep(el, 'lc-typing').shadowRoot?.querySelector('[part="typing"]'), 'the typing line');
  },
};

/** Answering a message: "Replying to …" above the input. */
export const Replying: Story = {
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    el.stores.ui.replyTo(el.stores.messages.$messages.get().at(-1)!);
    await until(() => !!deep(el, 'lc-composer').shadowRoot?.querySelector('[part="reply-preview"]'), 'the reply preview');
  },
};

/* ------------------------------------------------------------------ connection and errors */

/** The network dropped: the banner says "Reconnecting…", a message typed meanwhile waits as pending. */
export const Reconnecting: Story = {
  play: async ({ canvasElement }) => {
    const { el, fake } = chatIn(canvasElement);
    await joined(el);
    fake.setOnline(false);
    await until(() => el.stores.connection.$connection.get().status === 'reconnecting', 'reconnecting');
    await say(el, 'Is the stream frozen for anyone else?');
    await until(() => !!deep(el, 'lc-banner').shadowRoot?.querySelector('[part="banner"]'), 'the banner');
  },
};

/** Sending too fast: the server refuses with `rate_limited`, the composer says when to retry. */
export const RateLimited: Story = {
  render: (args) =>
    renderChat(args, room(), {
      setup: (fake) => fake.failNext('send', { code: 'rate_limited', message: 'rate_limited', retryAfterMs: 12_000 }),
    }),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await say(el, 'one more!');
    await until(() => /\d+ s\b/.test(statusOf(el).textContent ?? ''), 'the rate-limit message with its seconds');
  },
};

/**
 * No `server` attribute and no transport: a developer's mistake, shown in the element, sent as
 * `lc-error` and logged with `console.error` (the one story allowed to log an error: its tag
 * `logs-setup-error` tells the test to expect exactly that).
 */
export const NoServer: Story = {
  tags: ['logs-setup-error'],
  render: (args) => html`<div style="padding: 16px; background: ${pageBackground(args.theme)}">
    <div style="width: ${args.width}px; max-width: 100%; height: ${args.height}px">
      <live-chat theme=${args.theme ?? 'light'} lang=${args.lang ?? 'en'}></live-chat>
    </div>
  </div>`,
};

/* ------------------------------------------------------------------ themes, sizes, languages */

/** The dark theme. */
export const Dark: Story = {
  args: { theme: 'dark' },
};

/** The dark theme with the leaderboard beside the messages. */
export const DarkWide: Story = {
  args: { theme: 'dark', width: 1000 },
};

/** `theme="auto"`: follows `prefers-color-scheme` (toggle it in the browser's dev tools). */
export const AutoTheme: Story = {
  args: { theme: 'auto' },
};

/** A phone: 320 px wide; the leaderboard becomes a panel behind the trophy button. */
export const Narrow320: Story = {
  args: { width: 320, height: 600 },
};

/** The narrowest supported: 280 px. */
export const Narrow280: Story = {
  args: { width: 280, height: 560 },
};

/** 320 px with the leaderboard panel open (Escape closes it). */
export const NarrowLeaderboardOpen: Story = {
  args: { width: 320, height: 600 },
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await userEvent.click(deep(el, 'lc-header', '[part="leaderboard-toggle"]'));
    await until(() => el.stores.ui.$panelOpen.get(), 'the panel to open');
  },
};

/** A wide embed beside a video: 1200 px. */
export const Wide: Story = {
  args: { width: 1200, height: 640 },
};

/** `hide-leaderboard`: chat only. */
export const HiddenLeaderboard: Story = {
  args: { hideLeaderboard: true, width: 900 },
};

/** Swedish (`lang="sv"`): strings from the Swedish catalogue, numbers and times through `Intl`. */
export const Swedish: Story = {
  args: { lang: 'sv' },
};

/** Swedish, before the chat opens (countdown string and number format). */
export const SwedishNotYetOpen: Story = {
  args: { lang: 'sv' },
  render: (args) => renderChat(args, emptyRoom({ room: rooms.notYetOpen() })),
};

/** Right to left (`lang="ar"`): mirrored layout, Arabic and Hebrew messages, English strings (no Arabic catalogue yet). */
export const RightToLeft: Story = {
  args: { lang: 'ar', width: 900 },
  render: (args) =>
    renderChat(
      args,
      emptyRoom({
        room: { ...rooms.open(), title: 'السحب الكبير' },
        messages: [
          ...makeMessages(20, { from: [users.rtl, ...crowd] }),
          message(21, texts.rtl, users.rtl, { reward: { xp: 1, coins: 1 } }),
          message(22, texts.hebrew, users.hal, { likes: 7 }),
        ],
        leaderboard: makeLeaderboard(8),
        stats: { viewers: 12_345, likes: 321 },
      }),
    ),
};

/** The themed example of docs/theming.md (tokens and `::part` rules), light. */
export const Themed: Story = {
  render: (args) => html`<style>
      ${themeExample}
    </style>
    ${renderChat(args, room(), { className: 'brand' })}`,
};

/** The themed example of docs/theming.md, dark. */
export const ThemedDark: Story = {
  ...Themed,
  args: { theme: 'dark' },
};
