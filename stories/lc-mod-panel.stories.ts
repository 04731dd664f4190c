/** `<lc-mod-panel>` alone (issue 9): the room controls of hosts and moderators, closed and open. */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { userEvent } from 'storybook/test';
import type { Me } from 'live-chat-protocol';
import '../widget/host-tools/lc-mod-panel.ts';
import { emptyRoom, member } from '../test/support/fixtures.ts';
import { deep, html, storesFrom, surface, type SurfaceArgs } from './support.ts';

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };

const meta = {
  title: 'Host tools/lc-mod-panel',
  component: 'lc-mod-panel',
  args: { theme: 'light', lang: 'en', width: 640 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv'] },
  },
  render: (args) => surface(args, html`<lc-mod-panel .stores=${storesFrom(emptyRoom({ me: host, room: { slowModeSeconds: 10 } }), { lang: args.lang })}></lc-mod-panel>`),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** Closed: the toggle alone. */
export const Closed: Story = {};

/** Open: title, slow mode (10 s), chat window, session. */
export const Open: Story = {
  play: async ({ canvasElement }) => {
    const panel = canvasElement.querySelector('lc-mod-panel')!;
    await panel.updateComplete;
    await userEvent.click(deep(panel, 'button'));
  },
};
