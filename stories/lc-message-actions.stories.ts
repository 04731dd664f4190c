/**
 * `<lc-message-actions>` alone (issue 9), on stores filled as a host's join would fill them: the
 * moderation menu of one message (in `<live-chat>` it comes from the lazily loaded chunk).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Me } from 'live-chat-protocol';
import '../widget/host-tools/lc-message-actions.ts';
import { emptyRoom, member, message, users } from '../test/support/fixtures.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };

const meta = {
  title: 'Host tools/lc-message-actions',
  component: 'lc-message-actions',
  args: { theme: 'light', lang: 'en', width: 420, height: 360 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv'] },
  },
  render: (args) => {
    const stores = storesFrom(emptyRoom({ me: host }), { lang: args.lang });
    return surface(args, html`<div style="display:flex;justify-content:flex-end;padding:8px">
      <lc-message-actions .stores=${stores} .message=${message(1, 'Buy cheap coins at spam.example', users.jon)}></lc-message-actions>
    </div>`);
  },
} satisfies Meta<SurfaceArgs>;
export default meta;

/** The menu button of one message (press it, or focus it and press ArrowDown). */
export const MenuButton: StoryObj<SurfaceArgs> = {};
