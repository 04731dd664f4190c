/**
 * `<lc-typing>` alone (issue 10, "Typing"): "Ana is typing…", "Several people are typing…",
 * and nothing in a large room (viewers over the join ack's `limits.smallRoomLimit`).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { UserRef } from 'live-chat-protocol';
import '../widget/components/lc-typing.ts';
import { emptyRoom, users } from '../test/support/fixtures.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

interface TypingArgs extends SurfaceArgs {
  /** Viewers in the room (over 200, the default `smallRoomLimit`: nothing is shown). */
  viewers: number;
}

const typing = (args: TypingArgs, who: UserRef[]) => {
  const stores = storesFrom(emptyRoom({ stats: { viewers: args.viewers } }), { lang: args.lang });
  stores.room.setTyping(who);
  return surface({ ...args, height: 60 }, html`<lc-typing .stores=${stores}></lc-typing>`);
};

const meta = {
  title: 'Elements/lc-typing',
  component: 'lc-typing',
  args: { theme: 'light', lang: 'en', width: 420, viewers: 12 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
    viewers: { control: { type: 'number', min: 0, max: 100000 } },
  },
  render: (args) => typing(args, [users.anna]),
} satisfies Meta<TypingArgs>;
export default meta;
type Story = StoryObj<TypingArgs>;

/** One person: "Anna Host is typing…". */
export const OnePerson: Story = {};

/** More than one: "Several people are typing…". */
export const Several: Story = { render: (args) => typing(args, [users.anna, users.kim, users.bo]) };

/** Swedish. */
export const Swedish: Story = { args: { lang: 'sv' } };
