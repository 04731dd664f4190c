import { busyRoom, emptyRoom, guest, member, rooms } from '../support/fixtures.ts';
import type { SendAck } from 'live-chat-protocol';
import type { LcErrorEvent, LcSendEvent, TransportAck } from '../../widget/live-chat.ts';
import type { FakeTransport } from '../support/fake-transport.ts';
import { afterEach, cleanup, describe, equal, quiet, it, match, messageIds, mount, ok, part, parts, settle, text, typeAndSend, until } from './helpers.ts';

const status = (el: Element) => text(part(el, 'composer-status'));
const input = (el: Element) => part<HTMLInputElement>(el, 'input')!;
const send = (el: Element) => part<HTMLButtonElement>(el, 'send-button')!;

/** The acks of `fake.send` as the widget receives them, in order (a spy on the fake). */
function sendAcks(fake: FakeTransport): TransportAck<SendAck>[] {
  const acks: TransportAck<SendAck>[] = [];
  const original = fake.send.bind(fake);
  fake.send = async (p) => {
    const ack = await original(p);
    acks.push(ack);
    return ack;
  };
  return acks;
}

describe('composer', () => {
  afterEach(cleanup);

  it('open: Enter sends, the input clears, the message shows, lc-send fires first', async () => {
    const { el, fake, events } = await mount(emptyRoom());
    equal(input(el).disabled, false);
    equal(send(el).disabled, true, 'nothing to send yet');
    await typeAndSend(el, '  Hello world  ');
    equal(input(el).value, '');
    const sends = fake.calls.filter((c) => c.method === 'send');
    equal(sends.length, 1);
    equal(sends[0]!.payload.text, 'Hello world');
    const ev = events.find((e) => e.type === 'lc-send') as LcSendEvent;
    equal(ev.detail.text, 'Hello world');
    equal(ev.detail.clientId, sends[0]!.payload.clientId);
    ok(ev.cancelable && ev.bubbles && ev.composed, 'cancelable, bubbles, composed');
    await until(() => messageIds(el).length === 1 && !parts(el, 'message')[0]!.hasAttribute('data-pending'), 'the acked message');
    equal(text(part(el, 'message-text')), 'Hello world');
  });

  it('the send button sends, and the Enter key in the input submits', async () => {
    const { el, fake } = await mount(emptyRoom());
    input(el).value = 'by button';
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(send(el).disabled, false);
    send(el).click();
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'send').length, 1);
  });

  it('lc-send preventDefault() vetoes the message and keeps the draft', async () => {
    const { el, fake } = await mount(emptyRoom());
    el.addEventListener('lc-send', (e) => e.preventDefault());
    await typeAndSend(el, 'vetoed');
    equal(fake.calls.filter((c) => c.method === 'send').length, 0);
    equal(input(el).value, 'vetoed');
    equal(parts(el, 'message').length, 0);
  });

  it('counts characters near the 2000 limit and refuses more', async () => {
    const { el } = await mount(emptyRoom());
    input(el).value = 'x'.repeat(1700);
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(part(el, 'char-counter'), undefined, 'no counter far from the limit');
    input(el).value = 'x'.repeat(1950);
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(text(part(el, 'char-counter')), '50 characters left');
    input(el).value = '😀'.repeat(2001);
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(parseInt(text(part(el, 'char-counter'))), -1, 'characters are code points');
    equal(send(el).disabled, true);
  });

  it('uses the server\'s limit from the join ack (limits.maxMessageLength) for the counter, the check and the error', async () => {
    const { el, fake } = await mount(emptyRoom({ limits: { maxMessageLength: 300 } }));
    input(el).value = 'x'.repeat(150);
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(text(part(el, 'char-counter')), '150 characters left', 'counts down from 300, not 2000');
    input(el).value = 'x'.repeat(301);
    input(el).dispatchEvent(new Event('input'));
    await settle(el);
    equal(parseInt(text(part(el, 'char-counter'))), -1);
    equal(send(el).disabled, true);
    equal(el.stores.actions.send('y'.repeat(301)), false, 'refused before it reaches the server');
    equal(fake.calls.filter((c) => c.method === 'send').length, 0);
    fake.failNext('send', { code: 'too_long', message: '' });
    input(el).value = '';
    await typeAndSend(el, 'x');
    await quiet(el);
    match(status(el), /at most 300 characters/);
  });

  it('before the window opens: disabled with a live "Chat opens in 12:34" countdown', async () => {
    const { el } = await mount(busyRoom({ room: rooms.notYetOpen() }));
    equal(input(el).disabled, true);
    equal(send(el).disabled, true);
    match(status(el), /^Chat opens in 12:3[234]$/);
    const first = status(el);
    await until(() => status(el) !== first, 'the countdown ticks');
    match(status(el), /^Chat opens in 12:3[123]$/);
  });

  it('opens by itself when the countdown ends', async () => {
    const { el } = await mount(busyRoom({ room: rooms.notYetOpen(1200) }));
    equal(input(el).disabled, true);
    await until(() => !input(el).disabled, 'the chat opens', 4000);
    equal(status(el), '');
  });

  it('after the window: "Chat has closed"', async () => {
    const { el } = await mount(busyRoom({ room: rooms.closed() }));
    equal(input(el).disabled, true);
    equal(status(el), 'Chat has closed');
  });

  it('follows room:updated (a host moves the window)', async () => {
    const { el, fake } = await mount(busyRoom());
    fake.setRoom({ closesAt: new Date(Date.now() - 1000).toISOString() });
    await quiet(el);
    equal(status(el), 'Chat has closed');
  });

  it('guest who cannot post: "Sign in to chat" once (the status line, not the placeholder too), and the sign-in slot', async () => {
    const { el } = await mount(busyRoom({ me: guest }));
    const button = document.createElement('button');
    button.slot = 'sign-in';
    button.textContent = 'Sign in';
    el.append(button);
    await settle(el);
    equal(input(el).disabled, true);
    equal(input(el).placeholder, '', 'said once, by the status line');
    match(status(el), /^Sign in to chat/);
    const slot = part(el, 'composer-status')!.querySelector('slot')!;
    equal(slot.assignedElements({ flatten: true })[0], button, 'the page button shows in the composer');
    equal(part(el, 'xp'), undefined, 'no XP for guests');
    equal(part<HTMLButtonElement>(el, 'heart-button')!.disabled, true, 'hearts need a sign-in too (the server refuses them unauthorized)');
  });

  it('rate_limited: inline error with the seconds, the text back in the input, lc-error', async () => {
    const { el, fake, events } = await mount(emptyRoom());
    fake.failNext('send', { code: 'rate_limited', message: 'slow down', retryAfterMs: 12_000 });
    await typeAndSend(el, 'too fast');
    await quiet(el);
    equal(status(el), "You're sending too fast. Try again in 12 s.");
    equal(part(el, 'composer-status')!.getAttribute('role'), 'alert');
    equal(input(el).value, 'too fast', 'the draft comes back');
    equal(parts(el, 'message').length, 0, 'not shown as sent');
    const err = events.find((e) => e.type === 'lc-error') as LcErrorEvent;
    equal(err.detail.error.code, 'rate_limited');
    equal(err.detail.source, 'send');
  });

  it('too_long, timed_out, chat_closed and unknown errors have clear texts', async () => {
    const { el, fake } = await mount(emptyRoom());
    const cases: [any, RegExp][] = [
      [{ code: 'too_long', message: '' }, /at most 2000 characters/],
      [{ code: 'timed_out', message: '', retryAfterMs: 60_000 }, /timed out\. Try again in 60 s/],
      [{ code: 'chat_closed', message: '' }, /Chat is closed/],
      [{ code: 'forbidden', message: '' }, /can't chat in this room/],
    ];
    for (const [error, re] of cases) {
      fake.failNext('send', error);
      input(el).value = '';
      await typeAndSend(el, 'x');
      await quiet(el);
      match(status(el), re);
    }
  });

  it('offline: the input stays usable, messages wait as pending and are sent once on reconnect', async () => {
    const { el, fake } = await mount(emptyRoom());
    fake.setOnline(false);
    await quiet(el);
    equal(input(el).disabled, false);
    await typeAndSend(el, 'first offline');
    await typeAndSend(el, 'second offline');
    const pending = parts(el, 'message');
    equal(pending.length, 2);
    ok(pending.every((m) => m.hasAttribute('data-pending')), 'shown as pending');
    equal(status(el), 'Offline: 2 waiting to be sent');
    match(text(part(el, 'banner')), /Reconnecting/);
    equal(fake.calls.filter((c) => c.method === 'send').length, 0, 'nothing sent while offline');

    fake.setOnline(true);
    await until(() => parts(el, 'message').length === 2 && !parts(el, 'message').some((m) => m.hasAttribute('data-pending')), 'sent');
    const sends = fake.calls.filter((c) => c.method === 'send');
    equal(sends.map((c) => c.payload.text).join('|'), 'first offline|second offline', 'once each, in order');
    equal(new Set(sends.map((c) => c.payload.clientId)).size, 2);
    equal(part(el, 'banner'), undefined);
  });

  it('a send that timed out is retried while online (backoff), with the same clientId, and shows once', async () => {
    const { el, fake } = await mount(emptyRoom());
    fake.failNext('send', { code: 'timeout', message: 'no ack' });
    await typeAndSend(el, 'retry me');
    equal(parts(el, 'message')[0]!.hasAttribute('data-pending'), true, 'still pending');
    // No new send, no reconnect: only the retry timer can send it again.
    await until(() => fake.calls.filter((c) => c.method === 'send').length === 2, 'resent');
    await until(() => !parts(el, 'message')[0]!.hasAttribute('data-pending'), 'acknowledged');
    const [a, b] = fake.calls.filter((c) => c.method === 'send');
    equal(a!.payload.clientId, b!.payload.clientId, 'same clientId');
    equal(messageIds(el).length, 1);
    equal(fake.calls.filter((c) => c.method === 'connect').length, 1, 'no reconnect was needed');
  });

  it('internal after the message was stored and broadcast: shown once, the text not given back, no error', async () => {
    const { el, fake, events } = await mount(emptyRoom({ me: member }));
    const answered = sendAcks(fake);
    fake.failNext('send', { code: 'internal', message: 'Internal error' }, { after: 'broadcast' });
    await typeAndSend(el, 'stored anyway');
    await until(() => answered.length === 1, 'the internal answer');
    await settle(el);
    equal(answered[0]!.ok ? 'ok' : answered[0]!.error.code, 'internal');
    equal(fake.messages.filter((m) => m.text === 'stored anyway').length, 1, 'stored once');
    equal(messageIds(el).length, 1, 'shown once');
    equal(parts(el, 'message')[0]!.hasAttribute('data-pending'), false, 'its broadcast settled it');
    equal(input(el).value, '', 'the text is not given back (a resend would duplicate it)');
    equal(status(el), '', 'no error shown');
    equal(events.filter((e) => e.type === 'lc-error').length, 0);
    // Nothing left to retry: the next message goes out on its own.
    await typeAndSend(el, 'next one');
    await until(() => messageIds(el).length === 2, 'the next message');
    equal(fake.calls.filter((c) => c.method === 'send').length, 2);
  });

  it('internal before its broadcast reached us: kept pending, sent again with the same clientId, shown and rewarded once', async () => {
    const { el, fake, events } = await mount(emptyRoom({ me: member }));
    const answered = sendAcks(fake);
    // Stored and rewarded, but the server failed before announcing it.
    fake.failNext('send', { code: 'internal', message: 'Internal error' }, { after: 'commit' });
    await typeAndSend(el, 'committed quietly');
    await until(() => answered.length === 1, 'the internal answer');
    await settle(el);
    equal(parts(el, 'message')[0]!.hasAttribute('data-pending'), true, 'still pending');
    equal(input(el).value, '', 'the text is not given back');
    equal(status(el), '', 'no error shown');
    await until(() => answered.length === 2, 'sent again (backoff)');
    await until(() => !parts(el, 'message')[0]!.hasAttribute('data-pending'), 'acknowledged');
    const [a, b] = fake.calls.filter((c) => c.method === 'send');
    equal(a!.payload.clientId, b!.payload.clientId, 'same clientId');
    equal(fake.messages.filter((m) => m.text === 'committed quietly').length, 1, 'stored once');
    equal(messageIds(el).length, 1, 'shown once');
    equal(events.filter((e) => e.type === 'lc-reward').length, 1, 'the reward came with the retry, once');
    match(text(part(el, 'xp')), /33 \/ 50 XP today/);
    equal(events.filter((e) => e.type === 'lc-error').length, 0);
  });

  it('a reconnect during a send still waiting for its ack flushes again when that send ends', async () => {
    const { el, fake } = await mount(emptyRoom());
    const release = fake.holdNext('send');
    await typeAndSend(el, 'in flight');
    equal(fake.calls.filter((c) => c.method === 'send').length, 1);
    fake.setOnline(false);
    fake.setOnline(true);
    await until(() => fake.calls.filter((c) => c.method === 'join').length === 2, 'rejoined');
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'send').length, 1, 'the rejoin found a flush running');
    // The lost ack ends as 'offline' (no retry timer): only the "flush again" flag sends it now.
    release({ code: 'offline', message: 'link dropped' });
    await until(() => fake.calls.filter((c) => c.method === 'send').length === 2, 'sent again on the new link');
    await until(() => !parts(el, 'message')[0]!.hasAttribute('data-pending'), 'acknowledged');
    const [a, b] = fake.calls.filter((c) => c.method === 'send');
    equal(a!.payload.clientId, b!.payload.clientId, 'same clientId');
    equal(messageIds(el).length, 1);
  });

  it('shows the user XP: level, progress and "32 / 50 XP today"', async () => {
    const { el } = await mount(emptyRoom({ me: member }));
    const xp = part(el, 'xp')!;
    match(text(xp), /Lv 4/);
    match(text(xp), /32 \/ 50 XP today/);
    const bar = xp.querySelector('progress')!;
    equal(bar.value, 50);
    equal(bar.max, 100);
  });

  it('the heart button sends a session like and counts it at once', async () => {
    const { el, fake, events } = await mount(emptyRoom({ stats: { viewers: 3, likes: 41 } }));
    part<HTMLButtonElement>(el, 'heart-button')!.click();
    await settle(el);
    equal(text(part(el, 'like-count')), '42');
    await quiet(el);
    equal(fake.calls.filter((c) => c.method === 'roomLike').length, 1);
    equal((events.find((e) => e.type === 'lc-like') as any).detail.messageId, null);
  });
});
