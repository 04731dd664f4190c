/**
 * widget/transport/json-parser.ts speaks the default socket.io-parser's text format: for any
 * JSON packet, both encode to the same frame, and each decodes the other's frames to the same
 * packet. Binary packets and malformed frames are refused.
 * Run: node --import tsx --test test/widget/json-parser.node.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as reference from 'socket.io-parser';
import * as ours from '../../widget/transport/json-parser.ts';

const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)));
const nsp = fc.constantFrom('/', '/admin', '/a-b_c');
const id = fc.option(fc.nat({ max: 1e9 }), { nil: undefined });
const eventName = fc.oneof(fc.string().filter((s) => !['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(s)), fc.nat());

/** Every JSON packet a Socket.IO client or server sends in the live-chat contract. */
const packet = fc.oneof(
  fc.record({ type: fc.constant(0), nsp, data: fc.option(fc.dictionary(fc.string(), json), { nil: undefined }) }),
  fc.record({ type: fc.constant(1), nsp }),
  fc.record({ type: fc.constant(2), nsp, id, data: fc.tuple(eventName, fc.array(json, { maxLength: 3 })).map(([n, rest]) => [n, ...rest]) }),
  fc.record({ type: fc.constant(3), nsp, id: fc.nat({ max: 1e9 }), data: fc.array(json, { maxLength: 3 }) }),
  fc.record({ type: fc.constant(4), nsp, data: fc.oneof(fc.string(), fc.record({ message: fc.string() })) }),
);

const clean = (p: object) => JSON.parse(JSON.stringify(p));

function decodeWith(Decoder: new () => any, frame: string): unknown {
  const decoder = new Decoder();
  let out: unknown;
  decoder.on('decoded', (p: unknown) => (out = p));
  decoder.add(frame);
  return out;
}

test('encodes every JSON packet exactly as socket.io-parser does', () => {
  fc.assert(
    fc.property(packet, (p) => {
      assert.deepEqual(new ours.Encoder().encode(p as ours.Packet), new reference.Encoder().encode(p as any));
    }),
    { numRuns: 2000 },
  );
});

test('decodes socket.io-parser frames to the same packets, and the reference decodes ours', () => {
  fc.assert(
    fc.property(packet, (p) => {
      const [frame] = new reference.Encoder().encode(p as any) as string[];
      assert.deepEqual(clean(decodeWith(ours.Decoder, frame!) as object), clean(decodeWith(reference.Decoder, frame!) as object));
      const [mine] = new ours.Encoder().encode(p as ours.Packet);
      assert.deepEqual(clean(decodeWith(reference.Decoder, mine!) as object), clean(p));
    }),
    { numRuns: 2000 },
  );
});

test('refuses binary packets, unknown types, bad JSON and payloads that do not fit the type', () => {
  for (const frame of ['51-["ev",{"_placeholder":true,"num":0}]', '7', 'x', '2["ev"', '2{"a":1}', '3"x"', '0[1]', '1{}', '2[]', '', 42]) {
    assert.throws(() => decodeWith(ours.Decoder, frame as string), `accepted ${JSON.stringify(frame)}`);
  }
});

test('namespaces, ack ids and payloads from real traffic', () => {
  assert.deepEqual(decodeWith(ours.Decoder, '0{"sid":"abc"}'), { type: 0, nsp: '/', data: { sid: 'abc' } });
  assert.deepEqual(decodeWith(ours.Decoder, '4{"message":"unauthorized"}'), { type: 4, nsp: '/', data: { message: 'unauthorized' } });
  assert.deepEqual(decodeWith(ours.Decoder, '312[{"ok":true,"likes":3}]'), { type: 3, nsp: '/', id: 12, data: [{ ok: true, likes: 3 }] });
  assert.deepEqual(decodeWith(ours.Decoder, '2/admin,7["x",1]'), { type: 2, nsp: '/admin', id: 7, data: ['x', 1] });
  assert.deepEqual(decodeWith(ours.Decoder, '1/admin'), { type: 1, nsp: '/admin' });
  assert.deepEqual(new ours.Encoder().encode({ type: 2, nsp: '/', id: 3, data: ['room:join', { roomId: 'lobby' }] }), ['23["room:join",{"roomId":"lobby"}]']);
});
