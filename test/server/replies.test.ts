/**
 * Replies over real sockets (issue 10): `message:send` with `replyTo` stores a quote of the
 * answered message (its author and first 100 characters) that travels in the ack,
 * `message:new`, history, replay and the HTTP history, survives a restart, and loses its text
 * when the original is deleted. Refusals: unknown, foreign or deleted originals (`not_found`),
 * malformed ids (`invalid`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QUOTE_LENGTH, type Message } from 'live-chat-protocol';
import { call, clientId, http, nextEvent, ok, refused, send, startServer, type Client, type TestServer } from './helpers.ts';

/** Sends a reply and returns the ack (not asserted). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const reply = (socket: Client, text: string, replyTo: unknown, roomId = 'lobby', id = clientId()): Promise<any> =>
  call(socket, 'message:send', { roomId, clientId: id, text, replyTo });

const sent = async (socket: Client, text: string, roomId = 'lobby') => ok<{ message: Message }>(await send(socket, text, roomId)).message;

/** The messages of a join ack (with `sinceSeq` when given). */
async function joinMessages(socket: Client, sinceSeq?: number): Promise<Message[]> {
  return ok<{ messages: Message[] }>(await call(socket, 'room:join', { roomId: 'lobby', ...(sinceSeq === undefined ? {} : { sinceSeq }) }))
    .messages;
}

describe('replies', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 1000 } });
  });
  after(() => t.destroy());

  it('carries the quote (id, seq, author, first 100 characters) in the ack, message:new, join history, replay and HTTP history', async () => {
    const ann = await t.joined('Quote Ann');
    const bob = await t.joined('Quote Bob');
    // 150 characters, each an astral emoji (two UTF-16 units): the quote keeps exactly 100 of them.
    const long = '😀'.repeat(50) + 'x'.repeat(50) + '🎉'.repeat(50);
    const original = await sent(ann, long);
    const before = original.seq;
    const seen = nextEvent(ann, 'message:new', (m) => m.text === 'agreed');
    const ack = ok<{ message: Message }>(await reply(bob, 'agreed', original.id));

    const quote = { id: original.id, seq: original.seq, userId: 'dev-quote-ann', name: 'Quote Ann', text: '😀'.repeat(50) + 'x'.repeat(50) };
    assert.equal([...quote.text].length, QUOTE_LENGTH);
    assert.deepEqual(ack.message.replyTo, quote);
    assert.deepEqual((await seen).replyTo, quote, 'message:new');
    assert.deepEqual((await joinMessages(bob)).find((m) => m.id === ack.message.id)?.replyTo, quote, 'join history');
    assert.deepEqual((await joinMessages(bob, before)).find((m) => m.id === ack.message.id)?.replyTo, quote, 'replay');
    const res = await http(t, 'GET', '/api/rooms/lobby/messages?limit=5');
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.messages as Message[]).find((m) => m.id === ack.message.id)?.replyTo, quote, 'HTTP history');
    assert.equal('replyTo' in original, false, 'a message that is not a reply has no replyTo');
  });

  it('quotes short texts whole, and answers a retried clientId with the first reply', async () => {
    const ann = await t.joined('Short Ann');
    const original = await sent(ann, 'hi');
    const id = clientId();
    const first = ok<{ message: Message }>(await reply(ann, 'me too', original.id, 'lobby', id));
    assert.equal(first.message.replyTo!.text, 'hi');
    const again = ok<{ message: Message }>(await reply(ann, 'me too', original.id, 'lobby', id));
    assert.deepEqual(again.message, first.message);
  });

  it('refuses unknown, foreign and deleted originals with not_found, malformed ids with invalid, and stores nothing', async () => {
    const res = await http(t, 'POST', '/api/rooms', { body: { id: 'side', title: 'Side' }, token: await t.token('Maker', ['host']) });
    assert.equal(res.status, 201);
    const host = await t.joined('Reply Host', 'lobby', ['host']);
    const ann = await t.joined('Refused Ann');
    ok(await call(ann, 'room:join', { roomId: 'side' }));
    const elsewhere = await sent(ann, 'in side', 'side');
    const doomed = await sent(ann, 'doomed');
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: doomed.id }));
    const head = (await joinMessages(ann)).at(-1)!.seq;

    refused(await reply(ann, 'x', 'no-such-message'), 'not_found');
    refused(await reply(ann, 'x', elsewhere.id), 'not_found');
    refused(await reply(ann, 'x', doomed.id), 'not_found');
    refused(await reply(ann, 'x', ''), 'invalid');
    refused(await reply(ann, 'x', 'y'.repeat(65)), 'invalid');
    refused(await reply(ann, 'x', 42), 'invalid');
    assert.equal((await joinMessages(ann)).at(-1)!.seq, head, 'nothing was stored');
  });

  it('blanks the quote text when the original is deleted: message:deleted, history, replay from the recent window', async () => {
    const host = await t.joined('Blank Host', 'lobby', ['host']);
    const ann = await t.joined('Blank Ann');
    const original = await sent(ann, 'soon gone');
    const since = original.seq;
    const r1 = ok<{ message: Message }>(await reply(host, 'first answer', original.id)).message;
    const r2 = ok<{ message: Message }>(await reply(ann, 'second answer', original.id)).message;
    // The recent window holds the replies now: a replay comes from it.
    const deleted = nextEvent(ann, 'message:deleted', (p) => p.messageId === original.id);
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: original.id }));
    await deleted;

    const blank = { id: original.id, seq: original.seq, userId: 'dev-blank-ann', name: 'Blank Ann', text: '' };
    const replayed = await joinMessages(ann, since - 1);
    assert.equal(replayed[0]!.deleted, true);
    assert.equal(replayed[0]!.text, '');
    assert.deepEqual(
      replayed.filter((m) => m.id === r1.id || m.id === r2.id).map((m) => [m.text, m.replyTo]),
      [
        ['first answer', blank],
        ['second answer', blank],
      ],
    );
    const res = await http(t, 'GET', '/api/rooms/lobby/messages?limit=10');
    assert.deepEqual((res.body.messages as Message[]).find((m) => m.id === r2.id)?.replyTo, blank, 'history from the ledger');
  });

  it('drops the quote of a reply that is deleted itself', async () => {
    const host = await t.joined('Self Host', 'lobby', ['host']);
    const ann = await t.joined('Self Ann');
    const original = await sent(ann, 'kept');
    const r = ok<{ message: Message }>(await reply(ann, 'removed answer', original.id)).message;
    ok(await call(host, 'mod:delete', { roomId: 'lobby', messageId: r.id }));
    const replayed = (await joinMessages(ann, original.seq)).find((m) => m.id === r.id)!;
    assert.deepEqual([replayed.deleted, replayed.text, 'replyTo' in replayed], [true, '', false]);
    const res = await http(t, 'GET', '/api/rooms/lobby/messages?limit=10');
    assert.equal('replyTo' in (res.body.messages as Message[]).find((m) => m.id === r.id)!, false);
  });
});

describe('replies across a restart', () => {
  it('keeps quotes, and blanks them when the original is deleted after the restart', async () => {
    let t = await startServer();
    try {
      const ann = await t.joined('Restart Ann');
      const original = await sent(ann, 'before the restart');
      const r = ok<{ message: Message }>(await reply(ann, 'still here', original.id)).message;
      t = await t.restart();
      const bob = await t.joined('Restart Bob', 'lobby', ['host']);
      const quote = { id: original.id, seq: original.seq, userId: 'dev-restart-ann', name: 'Restart Ann', text: 'before the restart' };
      assert.deepEqual((await joinMessages(bob)).find((m) => m.id === r.id)?.replyTo, quote);
      // Replies to a message stored before the restart work too.
      const again = ok<{ message: Message }>(await reply(bob, 'and after', original.id)).message;
      assert.deepEqual(again.replyTo, quote);
      ok(await call(bob, 'mod:delete', { roomId: 'lobby', messageId: original.id }));
      const messages = await joinMessages(bob, original.seq);
      assert.deepEqual(
        messages.filter((m) => m.replyTo).map((m) => m.replyTo!.text),
        ['', ''],
      );
    } finally {
      await t.destroy();
    }
  });
});
