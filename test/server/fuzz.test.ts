/**
 * Fuzz of every client event: hundreds of random malformed payloads per event, each refused
 * with a code from ERROR_CODES; hundreds of payloads that PASS the schema (unknown messages and
 * users, other and private rooms, sinceSeq far ahead, retried clientIds, moderation by
 * non-staff and guests), each answered ok or refused with a code that is not `internal`, the
 * ledger still balanced; the server alive afterwards; and random texts that are either stored
 * clean or refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Encoder, PacketType } from 'socket.io-parser';
import type { z } from 'zod';
import { ERROR_CODES, type ClientToServerEvents } from 'live-chat-protocol';
import { clientEventSchemas } from 'live-chat-protocol/schemas';
import { call, clientId, http, ok, send, startServer, type Client, type TestServer } from './helpers.ts';

const RUNS = 300;

const events = Object.entries(clientEventSchemas) as [keyof ClientToServerEvents, z.ZodType][];

const junk = fc.oneof(
  fc.anything({ withNullPrototype: true, withDate: true, withMap: true, withSet: true, withSparseArray: true, withTypedArray: true }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, true, '', -1, 0, 1e309, 'lobby', '__proto__', { toString: 1 }),
);
/**
 * Roughly what the server receives for `payload` (socket.io encodes like JSON: a Date arrives
 * as its ISO string, which can be a valid id). Unencodable values pass through unchanged.
 */
/**
 * False for a value no client can send: socket.io-client's encoder (socket.io-parser) throws on
 * it, e.g. an object whose prototype is a Date, or one with binary data and an own `__proto__`
 * key (copying it for the binary path turns that key into the copy's prototype).
 */
function sendable(payload: unknown): boolean {
  try {
    new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['event', payload], id: 1 });
    return true;
  } catch {
    return false;
  }
}

function asSent(payload: unknown): unknown {
  try {
    const json = JSON.stringify(payload);
    return json === undefined ? undefined : JSON.parse(json);
  } catch {
    return payload;
  }
}

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
          fc.oneof(junk, nearMiss).filter((p) => sendable(p) && !schema.safeParse(p).success && !schema.safeParse(asSent(p)).success),
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

  it('answers payloads that pass the schema with ok or a code other than internal, whoever sends them', async () => {
    const viewerToken = await t.token('Fuzzy Viewer');
    const actors: Record<string, Client> = {
      host,
      moderator: await t.connect(await t.token('Fuzzy Mod', ['moderator'])),
      viewer: await t.connect(viewerToken),
      tab: await t.connect(viewerToken),
      guest: await t.connect(null),
    };
    const hostToken = await t.token('Fuzzy Host', ['host']);
    for (const body of [{ id: 'fuzz', title: 'Fuzz' }, { id: 'fuzz-private', title: 'Private fuzz', private: true }]) {
      assert.equal((await http(t, 'POST', '/api/rooms', { body, token: hostToken })).status, 201);
    }
    for (const socket of Object.values(actors)) ok(await call(socket, 'room:join', { roomId: 'fuzz' }));
    const knownIds: string[] = [];
    for (const text of ['one', 'two', 'three']) knownIds.push(ok(await send(actors.viewer!, text, 'fuzz')).message.id);

    const iso = fc
      .integer({ min: Date.parse('2029-01-01T00:00:00Z'), max: Date.parse('2031-01-01T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString());
    /** Every field any event takes, each plausible; zod strips what an event does not take. */
    const plausible = fc.record(
      {
        roomId: fc.constantFrom('fuzz', 'fuzz', 'fuzz-private', 'nowhere', 'x'.repeat(64)),
        sinceSeq: fc.oneof(fc.nat(10), fc.integer({ min: 1000, max: Number.MAX_SAFE_INTEGER })),
        clientId: fc.oneof(fc.constantFrom('retry-00001', 'retry-00002'), fc.uuid()),
        text: fc.string({ maxLength: 60 }),
        messageId: fc.oneof(fc.constantFrom(...knownIds), fc.string({ minLength: 1, maxLength: 64 })),
        count: fc.integer({ min: 1, max: 50 }),
        userId: fc.oneof(fc.constantFrom('dev-fuzzy-viewer', 'dev-fuzzy-host', 'dev-fuzzy-mod', 'nobody'), fc.string({ minLength: 1, maxLength: 128 })),
        seconds: fc.integer({ min: 1, max: 7 * 24 * 3600 }),
        slowModeSeconds: fc.integer({ min: 0, max: 3600 }),
        opensAt: fc.option(iso),
        closesAt: fc.option(iso),
        title: fc.string({ minLength: 1, maxLength: 120 }),
      },
      { requiredKeys: ['roomId'] },
    );
    const cases = fc
      .tuple(fc.constantFrom(...events), fc.constantFrom(...Object.keys(actors)), plausible)
      .filter(([[, schema], , payload]) => schema.safeParse(payload).success);
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(cases, async ([[event], actor, payload]) => {
        const socket = actors[actor]!;
        // Back in the room first (a previous case may have left it), so handlers run past the
        // membership check.
        const rejoin = await call(socket, 'room:join', { roomId: 'fuzz' });
        assert.equal(rejoin.ok, true, JSON.stringify(rejoin));
        const ack = await call(socket, event, payload);
        const code: string = ack.ok ? 'ok' : ack.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (!ack.ok) {
          assert.ok(ERROR_CODES.includes(ack.error.code), `unknown code ${ack.error.code}`);
          assert.notEqual(ack.error.code, 'internal', `${actor} ${event} ${JSON.stringify(payload)}: internal`);
        }
      }),
      { numRuns: 2 * RUNS },
    );
    // The run reached past validation: both answers and refusals of several kinds.
    assert.ok((codes.get('ok') ?? 0) > 0, JSON.stringify([...codes]));
    assert.ok(['forbidden', 'not_found', 'unauthorized'].every((c) => codes.has(c)), JSON.stringify([...codes]));
    for (const userId of await t.server.ledger.listUsers()) {
      const audit = await t.server.ledger.audit(userId);
      assert.equal(audit.totalXp, audit.xpEventsSum, userId);
      assert.equal(audit.coinBalance, audit.coinEventsSum, userId);
    }
  });

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
