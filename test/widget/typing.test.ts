/**
 * The typing indicator (issue 10, item 6): "Ana is typing…" / "Several people are typing…" in
 * small rooms only (viewers at or under the join ack's limits.smallRoomLimit), never about me;
 * the widget sends typing:start / typing:stop, throttled, and nothing in a large room.
 */
import { emptyRoom, users } from '../support/fixtures.ts';
import type { FakeTransport } from '../support/fake-transport.ts';
import { afterEach, cleanup, describe, equal, it, mount, part, quiet, text } from './helpers.ts';
import type { LiveChat } from '../../widget/live-chat.ts';

const typingCalls = (fake: FakeTransport) => fake.calls.filter((c) => c.method === 'typing').map((c) => (c.payload.active ? 'start' : 'stop'));

async function type(el: LiveChat, value: string): Promise<void> {
  const input = part<HTMLInputElement>(el, 'input')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await quiet(el);
}

describe('typing indicator', () => {
  afterEach(cleanup);

  it('shows one person by name, several as "Several people", and never me', async () => {
    const { el, fake } = await mount(emptyRoom({ stats: { viewers: 12 } }));
    equal(part(el, 'typing'), undefined);
    fake.push('typing', { roomId: 'lobby', users: [users.anna] });
    await quiet(el);
    equal(text(part(el, 'typing')), 'Anna Host is typing…');
    fake.push('typing', { roomId: 'lobby', users: [users.anna, users.cleo, fake.me.user] });
    await quiet(el);
    equal(text(part(el, 'typing')), 'Several people are typing…');
    fake.push('typing', { roomId: 'lobby', users: [fake.me.user] });
    await quiet(el);
    equal(part(el, 'typing'), undefined, 'only me: nothing');
  });

  it('in a large room (viewers over smallRoomLimit) shows nothing and sends nothing', async () => {
    const { el, fake } = await mount(emptyRoom({ stats: { viewers: 500 }, limits: { smallRoomLimit: 200 } }));
    fake.push('typing', { roomId: 'lobby', users: [users.anna] });
    await type(el, 'hello');
    equal(part(el, 'typing'), undefined);
    equal(typingCalls(fake).length, 0);
  });

  it('sends typing:start once per burst of keystrokes, typing:stop when the input is emptied, nothing after a send', async () => {
    const { el, fake } = await mount(emptyRoom({ stats: { viewers: 3 } }));
    await type(el, 'h');
    await type(el, 'he');
    await type(el, 'hel');
    equal(typingCalls(fake).join(), 'start', 'throttled');
    await type(el, '');
    equal(typingCalls(fake).join(), 'start,stop');
    await type(el, 'hello');
    part<HTMLInputElement>(el, 'input')!.form!.requestSubmit();
    await quiet(el);
    equal(typingCalls(fake).join(), 'start,stop,start', 'the send stops it on the server: no typing:stop');
  });
});
