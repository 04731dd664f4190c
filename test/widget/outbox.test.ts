/**
 * The outbox that survives the tab (issue 10, item 8): messages typed offline are kept in
 * IndexedDB per server, room and user; a page opened later shows them pending and sends them
 * once, with their clientId, when it is online; sign-out forgets them.
 */
import { FakeTransport } from '../support/fake-transport.ts';
import { emptyRoom, message } from '../support/fixtures.ts';
import { outboxDb } from '../../widget/state/outbox-db.ts';
import { afterEach, cleanup, describe, equal, it, mount, ok, part, parts, quiet, text, typeAndSend, until } from './helpers.ts';

/** A server URL of its own per test, so kept outboxes do not meet. */
const newServer = () => `https://chat-${Math.random().toString(36).slice(2)}.test`;
const withText = (el: Element, t: string) => parts(el, 'message').filter((m) => text(part(m, 'message-text')) === t);
const kept = (server: string) => outboxDb(`${server}|lobby|me`).load();

/** Waits for an asynchronous condition (an IndexedDB read), polling. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > 4000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first page: online, then the network goes; `typed` is sent while offline and kept. */
async function typeOffline(server: string, typed: string): Promise<string> {
  const { el, fake } = await mount(emptyRoom(), { attrs: { server } });
  fake.setOnline(false);
  await until(() => el.stores.connection.$connection.get().status === 'reconnecting', 'offline');
  await typeAndSend(el, typed);
  ok(withText(el, typed)[0]?.hasAttribute('data-pending'), 'pending');
  await eventually(async () => (await kept(server)).length === 1, 'kept in IndexedDB');
  const [item] = await kept(server);
  equal(item!.text, typed);
  cleanup(); // the tab is closed
  return item!.clientId;
}

describe('outbox in IndexedDB', () => {
  afterEach(cleanup);

  it('typed offline, the tab closed and opened again offline: shown pending; online: delivered exactly once', async () => {
    const server = newServer();
    const clientId = await typeOffline(server, 'typed in the tunnel');
    const { el, fake } = await mount(emptyRoom({ online: false }), { attrs: { server }, waitOnline: false });
    const node = await until(() => withText(el, 'typed in the tunnel')[0], 'pending after the reopen');
    ok(node.hasAttribute('data-pending'));
    equal(fake.calls.filter((c) => c.method === 'send').length, 0, 'nothing sent while offline');
    fake.setOnline(true);
    await until(() => withText(el, 'typed in the tunnel')[0]?.dataset.seq, 'delivered');
    await quiet(el);
    const sends = fake.calls.filter((c) => c.method === 'send');
    equal(sends.length, 1, 'sent once');
    equal(sends[0]!.payload.clientId, clientId, 'with its clientId');
    equal(fake.messages.filter((m) => m.text === 'typed in the tunnel').length, 1, 'stored once');
    equal(withText(el, 'typed in the tunnel').length, 1, 'shown once');
    await eventually(async () => (await kept(server)).length === 0, 'forgotten once acknowledged');
  });

  it('stored already (the tab went before the ack): the history has it, nothing is sent again', async () => {
    const server = newServer();
    const clientId = await typeOffline(server, 'stored before the ack');
    // The server had it: the next page's join history carries the message with that clientId.
    const fake = new FakeTransport(emptyRoom());
    const stored = message(1, 'stored before the ack', fake.me.user, { clientId });
    const { el, fake: second } = await mount(emptyRoom({ messages: [stored] }), { attrs: { server } });
    await eventually(async () => (await kept(server)).length === 0, 'forgotten');
    await quiet(el);
    equal(second.calls.filter((c) => c.method === 'send').length, 0, 'not sent again');
    equal(withText(el, 'stored before the ack').length, 1);
    fake.dispose();
  });

  it('another user on the same page does not send the first user\'s kept messages', async () => {
    const server = newServer();
    await typeOffline(server, 'only mine');
    const { el, fake } = await mount(emptyRoom({ me: { ...new FakeTransport().me, user: { id: 'someone-else', name: 'Else', avatarUrl: null, badges: [] } } }), { attrs: { server } });
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'send').length, 0);
    equal(withText(el, 'only mine').length, 0);
    equal((await kept(server)).length, 1, 'still kept for its user');
  });

  it('sign-out (the token goes) forgets the kept messages and the composer error', async () => {
    const server = newServer();
    const { el, fake } = await mount(emptyRoom(), { attrs: { server }, props: { token: 'a-token' } });
    fake.setOnline(false);
    await until(() => el.stores.connection.$connection.get().status === 'reconnecting', 'offline');
    await typeAndSend(el, 'never mind');
    await eventually(async () => (await kept(server)).length === 1, 'kept');
    el.stores.ui.refuseSend({ code: 'rate_limited', message: 'rate_limited', retryAfterMs: 60_000 }, '');
    el.token = null;
    await eventually(async () => (await kept(server)).length === 0, 'forgotten on sign-out');
    await until(() => !withText(el, 'never mind').length, 'no longer pending');
    equal(el.stores.ui.$composerError.get(), null, 'the error is gone');
  });
});
