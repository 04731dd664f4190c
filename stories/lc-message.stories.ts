/**
 * One message, as a row of `<lc-message-list>` (issue 10, item 9: rows are the list's own, not
 * an element each): avatar (picture or initials), name, badges, relative time, text as text,
 * the gold coin chip, the like button, reactions, replies; pending and deleted messages; the
 * toolbar of the hovered or focused message.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-message-list.ts';
import { badgeUsers, emptyRoom, message, texts, users } from '../test/support/fixtures.ts';
import type { Message } from 'live-chat-protocol';
import type { PendingMessage } from '../widget/state/outbox.ts';
import { deep, html, storesFrom, surface, until, type SurfaceArgs } from './support.ts';

interface MessageArgs extends SurfaceArgs {
  /** The user liked them (the like button's `aria-pressed`). */
  liked: boolean;
}

/** One or more messages in a list; `pending`: they are the user's own, on their way. */
const messages = (args: MessageArgs, list: Message[], pending?: PendingMessage['state']) => {
  const stores = storesFrom(emptyRoom({ messages: pending ? [] : list }), { lang: args.lang });
  if (pending) for (const m of list) stores.outbox.add({ clientId: m.id, roomId: 'lobby', text: m.text, createdAt: Date.now(), state: pending });
  if (args.liked) for (const m of list) stores.ui.setLiked(m.id, true);
  return surface(args, html`<lc-message-list .stores=${stores}></lc-message-list>`);
};

/** Shows the toolbar of message `i` as focus would (its like button focused). */
const focusRow = async (canvas: HTMLElement, i = 0) => {
  const list = canvas.querySelector('lc-message-list')!;
  await until(() => list.shadowRoot!.querySelectorAll('[part~="like-button"]').length > i, 'the messages');
  list.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="like-button"]')[i]!.focus();
  return list;
};

const meta = {
  title: 'Elements/Message',
  component: 'lc-message-list',
  args: { theme: 'light', lang: 'en', width: 420, liked: false },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
  },
  render: (args) => messages(args, [message(1, 'Good luck everyone! 🍀', users.ivy, { likes: 3 })]),
} satisfies Meta<MessageArgs>;
export default meta;
type Story = StoryObj<MessageArgs>;

/** A plain message with a picture avatar and 3 likes. */
export const Default: Story = {};

/** No picture: initials on a colour from the user id; a broken picture falls back to them too. */
export const InitialsAvatar: Story = {
  render: (args) => messages(args, [message(1, 'No picture here', users.jon), message(2, 'My picture is broken', users.broken)]),
};

/** Every badge combination: none, HOST, WINNER, MOD, the pairs, all three. */
export const EveryBadge: Story = {
  render: (args) => messages(args, badgeUsers.map((u, i) => message(i + 1, `Hi, I am ${u.name}`, u))),
};

/** Coin chips: +1 and +3; no chip when nothing was earned. */
export const CoinChip: Story = {
  render: (args) =>
    messages(args, [
      message(1, 'Earned a coin', users.ivy, { reward: { xp: 1, coins: 1 } }),
      message(2, 'Earned three', users.bo, { reward: { xp: 1, coins: 3 } }),
      message(3, 'Earned nothing (cooldown)', users.kim, { reward: { xp: 1, coins: 0 } }),
    ]),
};

/** Likes: none, a few, compact thousands, and liked by the user. */
export const Likes: Story = {
  render: (args) =>
    messages(args, [
      message(1, 'No likes yet', users.dev),
      message(2, 'A few likes', users.kim, { likes: 12 }),
      message(3, 'Very popular', users.anna, { likes: 12_345 }),
    ]),
};

/** Liked by the user (the heart in the like colour, `aria-pressed="true"`). */
export const Liked: Story = { args: { liked: true } };

/** The user's own message on its way (`data-pending`, "Sending…"). */
export const Sending: Story = {
  render: (args) => messages(args, [message(0, 'On its way…', users.dev)], 'sending'),
};

/** The user's own message waiting for the connection (`data-pending`, "Waiting for connection"). */
export const Queued: Story = {
  render: (args) => messages(args, [message(0, 'Typed while offline', users.dev)], 'queued'),
};

/** A message a moderator deleted. */
export const Deleted: Story = {
  render: (args) => messages(args, [message(1, '', users.jon, { deleted: true })]),
};

/** A long name, a long unbroken word, a long URL and a paragraph, at 320 px. */
export const LongWordsAndNames: Story = {
  args: { width: 320 },
  render: (args) =>
    messages(args, [
      message(1, texts.longWord, users.long, { reward: { xp: 1, coins: 1 }, likes: 4 }),
      message(2, texts.url, users.hal),
      message(3, texts.long, users.kim, { likes: 120 }),
    ]),
};

/** Markup in a message is shown as characters, never as HTML. */
export const MarkupStaysText: Story = {
  render: (args) => messages(args, [message(1, texts.xss, users.broken)]),
};

/** Right to left: Arabic and Hebrew text, mirrored layout. */
export const RightToLeft: Story = {
  args: { lang: 'ar' },
  render: (args) =>
    messages(args, [
      message(1, texts.rtl, users.rtl, { reward: { xp: 1, coins: 1 }, likes: 5 }),
      message(2, texts.hebrew, users.hal),
    ]),
};

/** Swedish badges and relative time. */
export const Swedish: Story = {
  args: { lang: 'sv' },
  render: (args) => messages(args, [message(1, 'Lycka till allihop!', users.hal, { reward: { xp: 1, coins: 1 }, likes: 2 })]),
};

/** Dark theme, badges and a coin chip. */
export const Dark: Story = {
  args: { theme: 'dark' },
  render: (args) =>
    messages(args, [
      message(1, 'Dark and shiny', users.gia, { reward: { xp: 1, coins: 1 }, likes: 8 }),
      message(2, 'Moderating', users.finn),
      message(3, 'Hello', users.jon),
    ]),
};

/** Links (issue 10): http(s) URLs become links to a new tab; `javascript:` and `data:` stay text. */
export const Links: Story = {
  render: (args) =>
    messages(args, [
      message(1, 'Tonight\'s schedule: https://example.com/live?day=2, see you there!', users.anna),
      message(2, 'Not links: javascript:alert(1) and data:text/html,<b>x</b>', users.broken),
    ]),
};

/** A reply (issue 10): the quote of the original (author, first 100 characters) above the text. */
export const Reply: Story = {
  render: (args) =>
    messages(args, [
      message(1, 'Who else is staying for the second half?', users.kim),
      message(2, 'Me! Wouldn\'t miss it', users.ivy, { replyTo: { id: 'm1', seq: 1, userId: users.kim.id, name: users.kim.name, text: 'Who else is staying for the second half?' } }),
    ]),
};

/** Reactions (issue 10): chips with counts (❤️ is the like button's count). */
export const Reactions: Story = {
  render: (args) =>
    messages(args, [
      message(1, 'That goal!', users.bo, { likes: 7, reactions: { '👍': 4, '❤️': 7, '😂': 1, '🎉': 12 } }),
      message(2, 'Unbelievable', users.hal, { reactions: { '😮': 2 } }),
    ]),
};

/** The toolbar of the hovered or focused message: react, reply, hide, then the like. */
export const Toolbar: Story = {
  render: (args) => messages(args, [message(1, 'Hover or focus me', users.gia, { likes: 2 }), message(2, 'Not me', users.bo)]),
  play: async ({ canvasElement }) => {
    const list = await focusRow(canvasElement);
    await until(() => !!list.shadowRoot!.querySelector('[part="react-button"]'), 'the toolbar');
  },
};

/** The reaction picker, open. */
export const ReactionPicker: Story = {
  render: (args) => messages(args, [message(1, 'React to this', users.gia, { reactions: { '👍': 2 } })]),
  play: async ({ canvasElement }) => {
    const list = await focusRow(canvasElement);
    deep<HTMLButtonElement>(list, '[part="react-button"]').click();
    await until(() => !!list.shadowRoot!.querySelector('[part="reaction-picker"]'), 'the picker');
  },
};
