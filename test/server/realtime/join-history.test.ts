/**
 * The join history encoded once per room (server/realtime/join-history.ts): the encoder writes
 * what Socket.IO's own encoder writes, the cache answers only for the very same frozen
 * messages, and over a real server a join after a like, a new message or a deletion shows it.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Message } from 'live-chat-protocol';
import type * as SocketParser from 'socket.io-parser';
import { JoinHistoryCache, RawJson, RawJsonEncoder, stringifyWithRaw } from '../../../server/realtime/join-history.ts';
import { call, ok, send, startServer, type TestServer } from '../helpers.ts';

const { Encoder, PacketType } = createRequire(import.meta.url)('socket.io-parser') as typeof SocketParser;

const message = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  seq,
  roomId: 'lobby',
  clientId: `client-${seq}`,
  user: { id: 'u1', name: 'Ann "quoted" \u2028', avatarUrl: null, badges: [] },
  text: `message ${seq} <b>&</b>`,
  createdAt: '2030-01-15T12:00:00.000Z',
  likes: 0,
  reward: null,
  ...extra,
});
const window = (n: number, from = 1) => Object.freeze(Array.from({ length: n }, (_, i) => Object.freeze(message(from + i))));

describe('RawJsonEncoder', () => {
  const standard = new Encoder();
  const ours = new RawJsonEncoder();
  const history = Array.from({ length: 3 }, (_, i) => message(i + 1));

  it('writes an ack with a RawJson field exactly as Socket.IO writes the parsed ack', () => {
    for (const nsp of ['/', '/admin']) {
      for (const id of [0, 7, 12345]) {
        const ack = { ok: true, room: { id: 'lobby' }, skipped: undefined, gap: false, limits: { maxMessageLength: 2000 } };
        const raw = ours.encode({ type: PacketType.ACK, nsp, id, data: [{ ...ack, messages: new RawJson(JSON.stringify(history)) }] });
        const plain = standard.encode({ type: PacketType.ACK, nsp, id, data: [{ ...ack, messages: history }] });
        assert.deepEqual(raw, plain, `nsp ${nsp}, id ${id}`);
      }
    }
  });

  it('leaves every other packet to the standard encoder (events, binary acks, acks without RawJson)', () => {
    const packets: SocketParser.Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['message:new', history[0]] },
      { type: PacketType.ACK, nsp: '/', id: 3, data: [{ ok: true, messages: history }] },
      { type: PacketType.ACK, nsp: '/', id: 4, data: [{ ok: true, file: Buffer.from('bytes') }] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
    ];
    for (const packet of packets) assert.deepEqual(ours.encode(packet), standard.encode(packet));
  });

  it('stringifyWithRaw equals JSON.stringify once the texts are parsed back', () => {
    const object = { a: 1, b: new RawJson('[1,2,{"c":null}]'), c: undefined, d: () => 1, e: 'x\u0000"y' };
    assert.equal(stringifyWithRaw(object), JSON.stringify({ ...object, b: [1, 2, { c: null }] }));
  });
});

describe('JoinHistoryCache', () => {
  it('answers the same text for the same frozen messages, a new one when any message is replaced', () => {
    const cache = new JoinHistoryCache();
    const messages = window(100);
    const first = cache.encode('lobby', messages);
    assert.ok(first instanceof RawJson);
    assert.deepEqual(JSON.parse(first.json), messages);
    assert.equal(cache.encode('lobby', [...messages]), first, 'a new array of the same objects hits');

    const liked = [...messages];
    liked[40] = Object.freeze(message(41, { likes: 1 }));
    const second = cache.encode('lobby', liked);
    assert.notEqual(second, first);
    assert.equal((JSON.parse((second as RawJson).json) as Message[])[40]!.likes, 1);

    const moved = [...messages.slice(1), Object.freeze(message(101))];
    assert.deepEqual(JSON.parse((cache.encode('lobby', moved) as RawJson).json), moved);
    assert.notEqual(cache.encode('other', moved), cache.encode('lobby', messages), 'rooms have their own entries');
  });

  it('does not cache messages that are not frozen, or a short history', () => {
    const cache = new JoinHistoryCache();
    const loose = Array.from({ length: 100 }, (_, i) => message(i + 1));
    assert.equal(cache.encode('lobby', loose), loose);
    const short = window(5);
    assert.equal(cache.encode('lobby', short), short);
  });
});

describe('join history over a real server', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  const joinAck = async () => {
    const viewer = await t.connect(null);
    const ack = ok<{ messages: Message[] }>(await call(viewer, 'room:join', { roomId: 'lobby' }));
    viewer.disconnect();
    return ack.messages;
  };

  it('shows each join the history as it is now: after a like, a new message and a deletion', async () => {
    const ann = await t.joined('History Ann');
    for (let i = 0; i < 30; i++) ok(await send(ann, `history ${i}`));
    const first = await joinAck();
    assert.equal(first.length, 30);
    assert.deepEqual(await joinAck(), first, 'nothing changed: the same history');

    const target = first[10]!;
    const bob = await t.joined('History Bob');
    ok(await call(bob, 'message:like', { roomId: 'lobby', messageId: target.id }));
    const afterLike = await joinAck();
    assert.equal(afterLike.find((m) => m.id === target.id)!.likes, 1);

    ok(await send(ann, 'one more'));
    const afterSend = await joinAck();
    assert.equal(afterSend.at(-1)!.text, 'one more');

    const host = await t.joined('History Host', 'lobby', ['host']);
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: first[3]!.id }));
    const afterDelete = await joinAck();
    const deleted = afterDelete.find((m) => m.id === first[3]!.id)!;
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.text, '');
    assert.equal(afterDelete.find((m) => m.id === target.id)!.likes, 1, 'the like is still there');
  });

  it('answers every join the same frozen messages after a reaction was taken back and a reply and the message it quoted deleted', async () => {
    const cal = await t.joined('History Cal');
    const target = ok<{ message: Message }>(await send(cal, 'react to me, then take it back')).message;
    const quoted = ok<{ message: Message }>(await send(cal, 'quoted by a reply that is deleted')).message;
    const reply = ok<{ message: Message }>(await call(cal, 'message:send', { roomId: 'lobby', clientId: 'history-cal-reply', text: 'a reply', replyTo: quoted.id })).message;
    for (let i = 0; i < 2; i++) ok(await call(cal, 'message:react', { roomId: 'lobby', messageId: target.id, emoji: '🎉' }));
    const host = await t.joined('History Host 2', 'lobby', ['host']);
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: reply.id }));
    // The quoted message goes too: its blanked quote must not come back on the deleted reply.
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: quoted.id }));

    // Two joins through the chat service, as the socket server makes them.
    const { chat, identity } = t.server.services;
    const join = async (id: string) => {
      const guest = await identity.authenticate(undefined);
      const rooms = new Set<string>();
      const connection = { id, open: true, rooms, subscribe: async (r: string) => void rooms.add(r), unsubscribe: async (r: string) => rooms.delete(r) };
      const ack = await chat.join(guest, connection, 'lobby', undefined);
      await t.server.services.presence.leaveRoom(connection, guest.user, 'lobby');
      return ack.messages;
    };
    const [first, second] = [await join('history-join-1'), await join('history-join-2')];
    assert.equal(first.find((m) => m.id === target.id)!.reactions, undefined, 'no reactions left: none on the wire');
    assert.equal(first.find((m) => m.id === reply.id)!.replyTo, undefined, 'a deleted message keeps no quote');
    assert.ok(first.every((m) => Object.isFrozen(m)), 'all frozen');
    assert.ok(first.length === second.length && first.every((m, i) => m === second[i]), 'the very same objects: the join history cache answers');
  });
});
