import { busyRoom, emptyRoom, makeMessages, users } from '../support/fixtures.ts';
import type { LcConnectionChangeEvent, LcErrorEvent } from '../../widget/live-chat.ts';
import { afterEach, cleanup, describe, equal, quiet, it, match, messageIds, mount, ok, part, text, until } from './helpers.ts';

const joins = (fake: { calls: { method: string; payload?: any }[] }) => fake.calls.filter((c) => c.method === 'join').map((c) => c.payload);

describe('reconnect', () => {
  afterEach(cleanup);

  it('rejoins with sinceSeq = the last seq held, and shows what was missed', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(30) }));
    equal(joins(fake)[0].sinceSeq, undefined, 'first join has no sinceSeq');
    fake.setOnline(false);
    await quiet(el);
    equal(el.stores.connection.$connection.get().status, 'reconnecting');
    match(text(part(el, 'banner')), /Reconnecting/);
    fake.post(users.bo, 'missed 1');
    fake.post(users.ivy, 'missed 2');
    fake.setOnline(true);
    await until(() => messageIds(el).at(-1) === 'm32', 'the replay');
    equal(joins(fake)[1].sinceSeq, 30);
    equal(messageIds(el).length, 32);
    equal(new Set(messageIds(el)).size, 32, 'no duplicates');
    equal(part(el, 'banner'), undefined);
  });

  it('drops duplicates by id when a replay overlaps what is held', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(10) }));
    const original = fake.join.bind(fake);
    // A server that replays a little more than asked (seq 8..): the widget must not double them.
    fake.join = (p) => original({ ...p, sinceSeq: p.sinceSeq === undefined ? undefined : p.sinceSeq - 3 });
    fake.setOnline(false);
    fake.post(users.bo, 'new one');
    fake.setOnline(true);
    await until(() => messageIds(el).at(-1) === 'm11', 'the replay');
    equal(messageIds(el).join(), 'm1,m2,m3,m4,m5,m6,m7,m8,m9,m10,m11');
  });

  it('reloads history when the server answers gap: true', async () => {
    const { el, fake } = await mount(busyRoom({ messages: makeMessages(20), limits: { replayWindow: 5, historyLimit: 10 } }));
    equal(messageIds(el).join(), 'm11,m12,m13,m14,m15,m16,m17,m18,m19,m20');
    fake.setOnline(false);
    for (let i = 0; i < 8; i++) fake.post(users.kim, `while away ${i}`);
    fake.setOnline(true);
    await until(() => messageIds(el).at(-1) === 'm28', 'the reload');
    equal(joins(fake)[1].sinceSeq, 20);
    equal(messageIds(el).join(), 'm19,m20,m21,m22,m23,m24,m25,m26,m27,m28', 'history replaced by the last 10');
  });

  it('fires lc-connection-change through connecting → online → reconnecting → online', async () => {
    const { el, fake, events } = await mount(emptyRoom());
    fake.setOnline(false);
    fake.setOnline(true);
    await until(() => el.stores.connection.$connection.get().status === 'online', 'online again');
    await quiet(el);
    const path = (events.filter((e) => e.type === 'lc-connection-change') as LcConnectionChangeEvent[]).map((e) => e.detail.status);
    equal(path.join(' → '), 'connecting → online → reconnecting → online');
  });

  it('says an empty room is empty once it is joined, not while a room switch waits for its join', async () => {
    const { el, fake } = await mount(emptyRoom());
    await quiet(el);
    match(text(part(el, 'empty')), /No messages yet/);
    const release = fake.holdNext('join');
    el.room = 'other';
    await until(() => joins(fake).some((j) => j.roomId === 'other'), 'the join of the other room');
    await quiet(el);
    equal(part(el, 'empty'), undefined, 'the other room is not known to be empty yet');
    release({ code: 'timeout', message: 'no answer' });
    await quiet(el);
    equal(part(el, 'empty'), undefined, 'nor after its join failed');
  });

  it('sends the token attribute, and reconnects with a new one when it changes', async () => {
    const { el, fake } = await mount(emptyRoom(), { attrs: { token: 'token-1' } });
    equal(fake.tokens.join(), 'token-1');
    el.token = 'token-2';
    await until(() => fake.tokens.length === 2, 'reconnect');
    equal(fake.tokens[1], 'token-2');
  });

  it('asks tokenProvider on every connection and again after unauthorized', async () => {
    let n = 0;
    const tokenProvider = async () => `fresh-${++n}`;
    const { el, fake } = await mount(emptyRoom({ acceptToken: (t) => t !== 'fresh-1' }), { props: { tokenProvider, token: 'ignored' } });
    equal(fake.tokens.join(), 'fresh-1,fresh-2', 'refused, then asked again');
    fake.setOnline(false);
    fake.setOnline(true);
    await until(() => el.stores.connection.$connection.get().status === 'online' && fake.tokens.length === 3, 'asked on reconnect');
    equal(fake.tokens.join(), 'fresh-1,fresh-2,fresh-3');
  });

  it('gives up on a refused token without a provider: error state and lc-error', async () => {
    const { el, events } = await mount(emptyRoom({ acceptToken: () => false }), { attrs: { token: 'bad' }, waitOnline: false });
    await until(() => el.stores.connection.$connection.get().status === 'error', 'error');
    await quiet(el);
    const err = events.find((e) => e.type === 'lc-error') as LcErrorEvent;
    equal(err.detail.error.code, 'unauthorized');
    equal(err.detail.source, 'connect');
    match(text(part(el, 'banner')), /Sign in to chat/);
    equal(part(el, 'empty'), undefined, 'no "No messages yet" under a refused connection: the room is not known to be empty');
  });

  it('an unknown room is an error, not a loop', async () => {
    const { el, fake, events } = await mount(emptyRoom(), { attrs: { room: 'nowhere' }, waitOnline: false });
    await until(() => el.stores.connection.$connection.get().status === 'error', 'error');
    equal((events.find((e) => e.type === 'lc-error') as LcErrorEvent).detail.error.code, 'not_found');
    match(text(part(el, 'banner')), /does not exist/);
    equal(joins(fake).length, 1);
    equal(part(el, 'empty'), undefined, 'no "No messages yet" under an unknown room');
  });

  it('disconnects when removed from the page', async () => {
    const { el, fake } = await mount(emptyRoom());
    el.remove();
    equal(fake.connected, false);
    equal(fake.calls.at(-1)!.method, 'disconnect');
  });
});
