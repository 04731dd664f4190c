/** `<lc-pinned>` alone (issue 9): the pinned message above the list; staff also get unpin. */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Me } from 'live-chat-protocol';
import '../widget/components/lc-pinned.ts';
import { emptyRoom, member, message, users } from '../test/support/fixtures.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

const pinned = message(1, 'Welcome everyone! The draw starts at 20:00, the prize is a weekend in Stockholm for two.', users.anna);

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };

const meta = {
  title: 'Elements/lc-pinned',
  component: 'lc-pinned',
  args: { theme: 'light', lang: 'en', width: 420 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
  },
  render: (args) => surface(args, html`<lc-pinned .stores=${storesFrom(emptyRoom({ me: member, room: { pinned } }), { lang: args.lang })}></lc-pinned>`),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** As a viewer sees it. */
export const ForViewers: Story = {};

/** As a host sees it: with the unpin button. */
export const ForStaff: Story = {
  render: (args) => surface(args, html`<lc-pinned .stores=${storesFrom(emptyRoom({ me: host, room: { pinned } }), { lang: args.lang })}></lc-pinned>`),
};
