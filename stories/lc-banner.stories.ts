/**
 * `<lc-banner>` alone: "Reconnecting…" (with the outbox count) while the connection is lost,
 * and what went wrong when it gave up. Hidden while all is well.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/components/lc-banner.ts';
import { busyRoom } from '../test/support/fixtures.ts';
import type { ConnectionState } from '../widget/state/connection.ts';
import { html, storesFrom, surface, type SurfaceArgs } from './support.ts';

const banner = (args: SurfaceArgs, connection: ConnectionState, queued = 0) => {
  const stores = storesFrom(busyRoom(), { lang: args.lang });
  stores.connection.$connection.set(connection);
  for (let i = 0; i < queued; i++) {
    stores.outbox.add({ clientId: `c${i}`, roomId: 'lobby', text: `queued ${i}`, createdAt: Date.now(), state: 'queued' });
  }
  return surface(args, html`<lc-banner .stores=${stores}></lc-banner>`);
};

const reconnecting: ConnectionState = { status: 'reconnecting', error: { code: 'offline', message: 'offline' } };

const meta = {
  title: 'Elements/lc-banner',
  component: 'lc-banner',
  args: { theme: 'light', lang: 'en', width: 460 },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    lang: { control: 'inline-radio', options: ['en', 'sv', 'ar'] },
    width: { control: { type: 'range', min: 280, max: 1000, step: 10 } },
  },
  render: (args) => banner(args, reconnecting),
} satisfies Meta<SurfaceArgs>;
export default meta;
type Story = StoryObj<SurfaceArgs>;

/** The connection dropped: "Reconnecting…". */
export const Reconnecting: Story = {};

/** Reconnecting with two messages in the outbox. */
export const ReconnectingWithQueue: Story = { render: (args) => banner(args, reconnecting, 2) };

/** Gave up: the room does not exist. */
export const RoomNotFound: Story = {
  render: (args) => banner(args, { status: 'error', error: { code: 'not_found', message: 'not_found' } }),
};

/** Gave up: the token was refused. */
export const Unauthorized: Story = {
  render: (args) => banner(args, { status: 'error', error: { code: 'unauthorized', message: 'unauthorized' } }),
};

/** A developer's mistake: no `server` attribute. */
export const NoServer: Story = {
  render: (args) => banner(args, { status: 'error', error: { code: 'invalid', message: 'no server' } }),
};

/** All is well: nothing shows. */
export const Online: Story = { render: (args) => banner(args, { status: 'online', error: null }) };

/** Dark theme, reconnecting. */
export const Dark: Story = { args: { theme: 'dark' }, render: (args) => banner(args, reconnecting, 1) };

/** Dark theme, an error. */
export const DarkError: Story = {
  args: { theme: 'dark' },
  render: (args) => banner(args, { status: 'error', error: { code: 'not_found', message: 'not_found' } }),
};

/** Swedish, reconnecting with one queued message. */
export const Swedish: Story = { args: { lang: 'sv' }, render: (args) => banner(args, reconnecting, 1) };
