/**
 * The lean `message:new` (issue 8, "leaner fan-out"; docs/protocol.md): defaults left out on
 * the wire, and `expandMessage` gives back exactly the `Message` the send ack carries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expandMessage, leanMessage, type Message, type MessageNew } from 'live-chat-protocol';
import { call, nextEvent, ok, send, startServer, type TestServer } from './helpers.ts';

describe('message:new on the wire', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('leaves out the defaults and expands back to the acked message', async () => {
    const ann = await t.joined('Lean Ann');
    const viewer = await t.connect(null);
    ok(await call(viewer, 'room:join', { roomId: 'lobby' }));
    const arrived = nextEvent(viewer, 'message:new', (m) => m.text === 'hello, lean world');
    const ack = ok<{ message: Message }>(await send(ann, 'hello, lean world'));
    const lean = await arrived;
    assert.deepEqual(Object.keys(lean.user).sort(), ['id', 'name'], 'no avatarUrl null, no badges []');
    assert.equal('likes' in lean, false, 'no likes: 0');
    assert.equal('replyTo' in lean, false);
    assert.equal('reactions' in lean, false);
    assert.deepEqual(expandMessage(lean), ack.message);
    const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));
    assert.ok(bytes(lean) < bytes(ack.message) - 30, `${bytes(lean)} bytes vs ${bytes(ack.message)} for the full message`);
  });

  it('keeps what is not a default: badges, a reward, likes, deletion', () => {
    const full: Message = {
      id: 'm1',
      seq: 7,
      roomId: 'lobby',
      clientId: 'client-0001',
      user: { id: 'u1', name: 'Host Hana', avatarUrl: 'https://example.com/a.png', badges: ['host'] },
      text: 'welcome',
      createdAt: '2030-01-15T12:00:00.000Z',
      likes: 3,
      reward: { xp: 1, coins: 1 },
    };
    assert.deepEqual(leanMessage(full), full);
    assert.deepEqual(expandMessage(leanMessage(full)), full);
    const bare: Message = { ...full, user: { ...full.user, avatarUrl: null, badges: [] }, likes: 0, reward: null, deleted: true, text: '' };
    const lean: MessageNew = leanMessage(bare);
    assert.deepEqual(lean, { id: 'm1', seq: 7, roomId: 'lobby', clientId: 'client-0001', user: { id: 'u1', name: 'Host Hana' }, text: '', createdAt: full.createdAt, deleted: true });
    assert.deepEqual(expandMessage(lean), bare);
  });
});
