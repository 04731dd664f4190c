/**
 * `<lc-message-list>` alone: the `role="log"` of at most 200 messages that follows the bottom,
 * the "New messages" pill while the reader is scrolled up, pending messages at the end, and
 * the empty room.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-message-list.ts';
import { busyRoom, emptyRoom, makeMessages, message, users } from '../test/support/fixtures.ts';
import type { ChatStores } from '../widget/state/chat-stores.ts';
import type { FakeTransportOptions } from '../test/support/fake-transport.ts';
import { deep, html, room, storesFrom, surface, until, type SurfaceArgs } from './support.ts';

const list = (args: SurfaceArgs, fixture: FakeTransportOptions = room(), prepare?: (s: ChatStores) => void) => {
  const stores = storesFrom(fixture, { lang: args.lang });
  prepare?.(stores);
  return surface(
    args,
    html`<lc-message-list style="flex: 1; min-height: 0" .stores=${stores}></lc-message-list>`,
  );
};

const meta = {
  title: 'Elements/lc-message-list',
  component: 'lc-message-list',
  args: { theme: 'light', lang: 'en', width: 460, height: 480 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
    height: { control: { type: 'range', min: 200, max: 900, step: 10 } },
  },
  render: (args) => list(args),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** A busy room: 300 messages arrive, 200 are kept; the list sits at the bottom. */
export const Busy: Story = { render: (args) => list(args, busyRoom({ limits: { historyLimit: 300 } })) };

/** No message yet: "No messages yet. Say hello!". */
export const Empty: Story = { render: (args) => list(args, emptyRoom()) };

/** Scrolled up while messages keep coming: the "New messages (3)" pill. */
export const NewMessagesWhileScrolledUp: Story = {
  render: (args) => list(args, emptyRoom({ messages: makeMessages(60) })),
  play: async ({ canvasElement }) => {
    const el = canvasElement.querySelector('lc-message-list')!;
    const log = deep(el, '.log');
    await until(() => log.scrollHeight > log.clientHeight && log.scrollTop > 0, 'the list to reach the bottom');
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    const stores = el.stores!;
    stores.messages.merge([61, 62, 63].map((seq) => message(seq, `Message ${seq} while you read`, users.kim)));
    await until(() => !!el.shadowRoot!.querySelector('[part="new-messages"]'), 'the New messages pill');
  },
};

/** The user's own messages at the end: one sending, one waiting for the connection. */
export const WithPendingMessages: Story = {
  render: (args) =>
    list(args, emptyRoom({ messages: makeMessages(30) }), (stores) => {
      const now = Date.now();
      stores.outbox.add({ clientId: 'c-sending', roomId: 'lobby', text: 'This one is on its way', createdAt: now, state: 'sending' });
      stores.outbox.add({ clientId: 'c-queued', roomId: 'lobby', text: 'This one waits for the connection', createdAt: now, state: 'queued' });
    }),
};

/** Dark theme. */
export const Dark: Story = { args: { theme: 'dark' } };

/** 280 px, the narrowest supported width. */
export const Narrow280: Story = { args: { width: 280 } };

/** Swedish relative times and strings. */
export const Swedish: Story = { args: { lang: 'sv' } };

/** A user hidden for me (issue 10): their messages gone, "Messages from … are hidden for you. Undo". */
export const HiddenUser: Story = {
  render: (args) =>
    list(args, emptyRoom({ messages: makeMessages(30) }), (stores) => {
      const someone = stores.messages.$messages.get()[0]!.user;
      stores.hidden.hide(someone);
    }),
};

/** A message that mentions me ("@Sam"): `part="message mention"`, highlighted. */
export const Mention: Story = {
  render: (args) =>
    list(args, emptyRoom({ messages: makeMessages(12) }), (stores) => {
      const me = stores.me.$me.get()!.user;
      stores.messages.merge([message(13, `@${me.name.split(' ')[0]} did you see that goal?`, users.kim)]);
    }),
};
