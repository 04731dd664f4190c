/**
 * Fuzz of every client event: hundreds of random malformed payloads per event, each refused
 * with a code from ERROR_CODES, with the server alive afterwards; and random texts that are
 * either stored clean or refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { z } from 'zod';
import {
  ERROR_CODES,
  joinSchema,
  leaveSchema,
  messageLikeSchema,
  modDeleteSchema,
  modTimeoutSchema,
  roomLikeSchema,
  roomUpdateSchema,
  sendSchema,
  sessionSchema,
  typingSchema,
  type ClientToServerEvents,
} from '../../server/protocol.ts';
import { call, clientId, http, send, startServer, type Client, type TestServer } from './helpers.ts';

const RUNS = 300;

const events: [keyof ClientToServerEvents, z.ZodType][] = [
  ['room:join', joinSchema],
  ['room:leave', leaveSchema],
  ['message:send', sendSchema],
  ['message:like', messageLikeSchema],
  ['room:like', roomLikeSchema],
  ['typing:start', typingSchema],
  ['typing:stop', typingSchema],
  ['mod:delete', modDeleteSchema],
  ['mod:timeout', modTimeoutSchema],
  ['room:update', roomUpdateSchema],
  ['session:start', sessionSchema],
  ['session:end', sessionSchema],
];

const junk = fc.oneof(
  fc.anything({ withNullPrototype: true, withDate: true, withMap: true, withSet: true, withSparseArray: true, withTypedArray: true }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, true, '', -1, 0, 1e309, 'lobby', '__proto__', { toString: 1 }),
);
/** A field that is sometimes plausible and sometimes junk. */
const field = (plausible: fc.Arbitrary<unknown>) => fc.oneof(plausible, junk);
const nearMiss = fc.record(
  {
    roomId: field(fc.constantFrom('lobby', 'fuzz', 'LOBBY', 'a'.repeat(65), '-x', 'lobby ')),
    clientId: field(fc.constantFrom(clientId(), 'short', 'x'.repeat(65), 'bad id!')),
    text: field(fc.string({ maxLength: 40 })),
    messageId: field(fc.constantFrom('m1', '', 'x'.repeat(65))),
    userId: field(fc.constantFrom('dev-x', '')),
    seconds: field(fc.constantFrom(0, 1, 60, 1.5, 10_000_000)),
    sinceSeq: field(fc.constantFrom(-1, 0, 3, 2.5)),
    count: field(fc.constantFrom(0, 1, 51, 2.5)),
    slowModeSeconds: field(fc.constantFrom(-1, 0, 3601)),
    opensAt: field(fc.constantFrom('2030-01-01', 'tomorrow', null)),
    title: field(fc.constantFrom('', ' ', 'ok', 'x'.repeat(121))),
    __proto__: junk,
    constructor: junk,
  },
  { requiredKeys: [] },
);

describe('fuzzing client events', () => {
  let t: TestServer;
  let host: Client;
  before(async () => {
    t = await startServer({ config: { messagesPerMinute: 100_000, roomLikesPerMinute: 100_000 } });
    host = await t.joined('Fuzzy Host', 'lobby', ['host']);
  });
  after(() => t.destroy());

  for (const [event, schema] of events) {
    it(`refuses ${RUNS} malformed ${event} payloads with a code`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(junk, nearMiss).filter((p) => !schema.safeParse(p).success),
          async (payload) => {
            const ack = await call(host, event, payload);
            assert.equal(ack.ok, false, `accepted ${JSON.stringify(payload)}`);
            assert.ok(ERROR_CODES.includes(ack.error.code), `unknown code ${ack.error.code}`);
            assert.ok(['invalid', 'too_long'].includes(ack.error.code), `${ack.error.code} for a malformed payload`);
            assert.equal(typeof ack.error.message, 'string');
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('survives odd argument shapes: no ack, ack first, extra arguments, unknown events', async () => {
    const raw = host as unknown as { emit(e: string, ...a: unknown[]): void; timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<{ ok: boolean }> } };
    raw.emit('message:send', { roomId: 'lobby', clientId: clientId(), text: 'no ack at all' });
    raw.emit('message:send');
    raw.emit('room:join', 1, 2, 3);
    raw.emit('no:such:event', { a: 1 });
    const extra = await raw.timeout(5000).emitWithAck('room:join', { roomId: 'lobby' }, 'extra', 42);
    assert.equal(extra.ok, true);
    const ackOnly = await raw.timeout(5000).emitWithAck('room:leave');
    assert.equal(ackOnly.ok, false);
  });

  it('stores random texts clean (no control characters, 1..2000 characters) or refuses them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('binary', 'grapheme', 'binary-ascii'), maxLength: 2100 }), async (text) => {
        const ack = await send(host, text);
        if (ack.ok) {
          const stored: string = ack.message.text;
          assert.doesNotMatch(stored, /[\u0000-\u001f\u007f-\u009f]/);
          assert.equal(stored, stored.trim());
          const length = [...stored].length;
          assert.ok(length >= 1 && length <= 2000);
        } else {
          assert.ok(['invalid', 'too_long'].includes(ack.error.code), ack.error.code);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is still alive and serving afterwards', async () => {
    assert.equal((await http(t, 'GET', '/health')).status, 200);
    const ack = await send(host, 'still here');
    assert.equal(ack.ok, true);
    const fresh = await t.joined('Late Larry');
    assert.equal((await send(fresh, 'me too')).ok, true);
  });
});
