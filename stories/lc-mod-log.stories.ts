/** `<lc-mod-log>` alone (issue 9): the room's moderation log in the room controls, with unban. */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { Me, ModerationEntry } from 'live-chat-protocol';
import '../widget/host-tools/lc-mod-log.ts';
import { emptyRoom, member, message, users } from '../test/support/fixtures.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

const host: Me = { ...member, user: { ...member.user, name: 'Hana Host', badges: ['host'] } };
const at = (min: number) => new Date(Date.parse('2026-11-27T19:00:00Z') + min * 60_000).toISOString();
const entry = (id: number, min: number, action: ModerationEntry['action'], extra: Partial<ModerationEntry> = {}): ModerationEntry => ({
  id: String(id), at: at(min), actor: host.user, action, targetUserId: null, messageId: null, reason: null, details: null, ...extra,
});
/** Newest first, as the server sends them. */
const entries: ModerationEntry[] = [
  entry(7, 41, 'session_end'),
  entry(6, 30, 'ban', { targetUserId: users.jon.id, reason: 'Spam links' }),
  entry(5, 22, 'timeout', { targetUserId: users.dev.id, reason: 'Spoilers', details: { seconds: 600 } }),
  entry(4, 21, 'delete', { targetUserId: users.dev.id, messageId: 'm2' }),
  entry(3, 12, 'pin', { messageId: 'm1' }),
  entry(2, 5, 'room_update', { details: { slowModeSeconds: 10 } }),
  entry(1, 0, 'session_start'),
];

const meta = {
  title: 'Host tools/lc-mod-log',
  component: 'lc-mod-log',
  args: { theme: 'light', lang: 'en', width: 560 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv'] },
  },
  render: (args) => {
    // Names come from the messages the widget holds.
    const stores = storesFrom(emptyRoom({ me: host, messages: [message(1, 'Hi', users.dev), message(2, 'Cheap coins', users.jon)] }), { lang: args.lang });
    return surface(args, html`<div style="padding:8px"><lc-mod-log .stores=${stores} .entries=${entries}></lc-mod-log></div>`);
  },
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** A session's log: an open ban has Unban. */
export const Log: Story = {};

/** Nothing moderated yet. */
export const Empty: Story = {
  render: (args) => surface(args, html`<div style="padding:8px"><lc-mod-log .stores=${storesFrom(emptyRoom({ me: host }), { lang: args.lang })} .entries=${[]}></lc-mod-log></div>`),
};
