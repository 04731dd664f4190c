/**
 * The host tools (issue 9) inside `<live-chat>`, on a `FakeTransport`: what a host or moderator
 * sees (the actions menu on each message, the reason form, the room controls, the pinned
 * message with unpin), and what moderation looks like to a viewer (pinned message, a timeout
 * or ban with its reason, the slow-mode countdown). The host tools are the lazy chunk
 * `<live-chat>` loads for staff; here Storybook's bundler serves it.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent } from 'storybook/test';
import type { Me } from 'live-chat-protocol';
import { emptyRoom, makeLeaderboard, member, message, users } from '../test/support/fixtures.ts';
import { chatArgTypes, chatArgs, chatIn, deep, joined, renderChat, until, type ChatArgs } from './support.ts';

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };
const history = [
  message(1, 'Welcome everyone, the draw starts at 20:00!', users.anna),
  message(2, 'Spoiler: the winner is Bo', users.dev),
  message(3, 'Good luck all 🍀', users.ivy),
  message(4, 'Buy cheap coins at spam.example', users.jon),
];
const hostRoom = (extra = {}) => emptyRoom({ me: host, messages: history, leaderboard: makeLeaderboard(4), stats: { viewers: 42, likes: 17 }, ...extra });
const viewerRoom = (extra = {}) => emptyRoom({ messages: history, leaderboard: makeLeaderboard(4), stats: { viewers: 42, likes: 17 }, ...extra });

/** The actions menu button of message `i`, in the toolbar the pointer over it shows (once the chunk is in). */
async function menuButton(canvas: HTMLElement, i: number): Promise<HTMLButtonElement> {
  const { el } = chatIn(canvas);
  await joined(el);
  const list = deep(el, 'lc-message-list');
  let button: HTMLButtonElement | null | undefined;
  await until(() => {
    const row = list.shadowRoot!.querySelectorAll('[part~="message"]')[i];
    row?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    return !!(button = row?.querySelector('lc-message-actions')?.shadowRoot?.querySelector('button'));
  }, 'the host tools');
  return button!;
}

const meta = {
  title: 'Host tools/live-chat',
  component: 'live-chat',
  args: chatArgs,
  argTypes: chatArgTypes,
  render: (args) => renderChat(args, hostRoom()),
} satisfies Meta<ChatArgs>;
export default meta;
type Story = StoryObj<ChatArgs>;

/** A host's view: the room controls (closed) above the list; the hovered message's toolbar ends with its "⋯" menu. */
export const HostView: Story = {
  play: async ({ canvasElement }) => {
    await menuButton(canvasElement, 3);
  },
};

/** The actions menu, opened with the keyboard (ArrowDown) on a message. */
export const ActionsMenu: Story = {
  play: async ({ canvasElement }) => {
    const button = await menuButton(canvasElement, 3);
    button.focus();
    await userEvent.keyboard('{ArrowDown}');
    await until(() => !!button.getRootNode() && (button.getRootNode() as ShadowRoot).querySelector('[role="menu"]') !== null, 'the menu');
  },
};

/** "Time out for 10 min" asks for an optional reason, shown to the user. */
export const TimeoutReason: Story = {
  play: async ({ canvasElement }) => {
    const button = await menuButton(canvasElement, 3);
    await userEvent.click(button);
    const root = button.getRootNode() as ShadowRoot;
    await until(() => root.querySelectorAll('[role="menuitem"]').length > 0, 'the menu');
    await userEvent.click([...root.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')].find((b) => /10 min/.test(b.textContent ?? ''))!);
    await until(() => !!root.querySelector('form'), 'the reason form');
    await userEvent.type(root.querySelector('input')!, 'Spam links');
  },
};

/** The room controls, open: title, slow mode, chat window, session and recap. */
export const RoomControls: Story = {
  args: { height: 720 },
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    let toggle: HTMLButtonElement | null | undefined;
    await until(() => !!(toggle = el.shadowRoot!.querySelector('lc-mod-panel')?.shadowRoot?.querySelector('button')), 'the room controls');
    await userEvent.click(toggle!);
    await expect(toggle!.getAttribute('aria-expanded')).toBe('true');
  },
};

/** A pinned message, with the unpin button hosts get. */
export const PinnedForHost: Story = {
  render: (args) => renderChat(args, hostRoom({ room: { pinned: history[0] } })),
  play: async ({ canvasElement }) => {
    await menuButton(canvasElement, 0);
    deep(chatIn(canvasElement).el, 'lc-pinned', 'button');
  },
};

/** The same pinned message as a viewer sees it: no unpin, no menus, no room controls. */
export const PinnedForViewer: Story = {
  render: (args) => renderChat(args, viewerRoom({ room: { pinned: history[0] } })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await expect(el.shadowRoot!.querySelector('lc-mod-panel')).toBeNull();
  },
};

/** A viewer timed out for 10 minutes, with the moderator's reason; the composer is off until then. */
export const TimedOut: Story = {
  render: (args) => renderChat(args, viewerRoom({ me: { ...member, restriction: { kind: 'timeout', until: new Date(Date.now() + 600_000).toISOString(), reason: 'Please keep spoilers out of the chat' } } })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await expect(deep<HTMLInputElement>(el, 'lc-composer', 'input').disabled).toBe(true);
  },
};

/** A viewer banned from the room, with the reason. */
export const Banned: Story = {
  render: (args) => renderChat(args, viewerRoom({ me: { ...member, restriction: { kind: 'ban', until: null, reason: 'Spam links' } } })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    await expect(deep<HTMLInputElement>(el, 'lc-composer', 'input').disabled).toBe(true);
  },
};

/** Slow mode (30 s): after a send, the composer counts down to the next one. */
export const SlowModeCountdown: Story = {
  render: (args) => renderChat(args, viewerRoom({ room: { slowModeSeconds: 30 } })),
  play: async ({ canvasElement }) => {
    const { el } = chatIn(canvasElement);
    await joined(el);
    const input = deep<HTMLInputElement>(el, 'lc-composer', 'input');
    await userEvent.type(input, 'Hello!{Enter}');
    await until(() => !!deep(el, 'lc-composer').shadowRoot!.querySelector('[part~="slow-mode-countdown"]'), 'the countdown');
  },
};
