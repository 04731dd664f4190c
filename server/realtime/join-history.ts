/**
 * A join ack's history, encoded once per room instead of once per join (issue 8, join storm).
 *
 * A join ack is about 29 KB of JSON, nearly all of it the room's last 100 messages, and every
 * viewer arriving in a storm gets the same 100. Socket.IO encodes each ack on its own
 * (`JSON.stringify` of the whole ack, after a walk looking for binary data): that encode was
 * half of a join's CPU time. Here the history's JSON text is kept per room and spliced into
 * the ack as it is encoded; the wire is unchanged, byte for byte (docs/protocol.md,
 * `room:join`).
 *
 * - {@link RawJson}: a JSON text standing for one field of an ack.
 * - {@link RawJsonEncoder}: the Socket.IO parser's encoder, which writes a {@link RawJson} as
 *   its text; every other packet is encoded as Socket.IO does. Given to the server as
 *   `parser` ({@link socketParser}); clients keep the standard parser.
 * - {@link JoinHistoryCache}: the last encoding per room, reused while a join's history holds
 *   the very same frozen message objects (the memory hot store hands them out; a new or
 *   changed message is a new object, so the text can never be stale).
 */
import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';
import type { Packet } from 'socket.io-parser';
import type { Message } from 'live-chat-protocol';

// The CommonJS build, the one socket.io itself loads: an ESM import resolves to the package's
// build with debug logging compiled in, a second copy of the parser.
const { Decoder, Encoder, PacketType } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

/** A JSON text (from `JSON.stringify`) that {@link RawJsonEncoder} writes as the field's value. */
export class RawJson {
  constructor(readonly json: string) {}
}

/** Whether `value` is an object with at least one {@link RawJson} among its own values. */
function holdsRawJson(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) if ((value as Record<string, unknown>)[key] instanceof RawJson) return true;
  return false;
}

/**
 * `JSON.stringify(object)` with each {@link RawJson} value written as its text. Same keys, same
 * order, `undefined` and function values left out, as `JSON.stringify` does.
 */
export function stringifyWithRaw(object: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(object)) {
    const value = object[key];
    const json = value instanceof RawJson ? value.json : (JSON.stringify(value) as string | undefined);
    if (json === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${json}`;
  }
  return `{${out}}`;
}

/**
 * Socket.IO's encoder (socket.io-parser 4.2), with one addition: an ack whose one argument is
 * an object holding {@link RawJson} values is written with those texts spliced in (no walk for
 * binary data: such acks are built from JSON data only). The output is the string the
 * standard encoder writes for the same ack with the texts parsed back.
 */
export class RawJsonEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<InstanceType<typeof Encoder>['encode']> {
    const data: unknown = packet.data;
    if (packet.type !== PacketType.ACK || !Array.isArray(data) || data.length !== 1 || !holdsRawJson(data[0])) {
      return super.encode(packet);
    }
    // Header as socket.io-parser writes it: type, the namespace unless `/` (then a comma), the ack id.
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    return [`${PacketType.ACK}${nsp}${packet.id ?? ''}[${stringifyWithRaw(data[0])}]`];
  }
}

/** The `parser` option of the Socket.IO server: {@link RawJsonEncoder} and the standard decoder. */
export const socketParser = { Encoder: RawJsonEncoder, Decoder };

/** Histories shorter than this are encoded per join (not worth a cache entry). */
const MIN_CACHED = 20;
/** Characters of encoded history kept over all rooms (least recently used room dropped first): about 280 full windows. */
const MAX_CHARS = 8_000_000;

/**
 * The last encoded join history of each room (8 M characters at most over all rooms). A hit
 * needs the same message objects, in the same order, all frozen: the text was made from
 * exactly them and they cannot have changed since. A join replaying a shorter history
 * (`sinceSeq`) replaces the room's entry; the next full join encodes again.
 */
export class JoinHistoryCache {
  readonly #entries = new LRUCache<string, { messages: readonly Message[]; raw: RawJson }>({
    maxSize: MAX_CHARS,
    sizeCalculation: (entry) => entry.raw.json.length,
  });

  /**
   * @param roomId the room the history is of.
   * @param messages the join's history, as the chat service answered it.
   * @returns the history's JSON text to put in the ack, or `messages` themselves when they are
   *   not worth caching (fewer than 20) or not frozen (read from the ledger or Redis).
   */
  encode(roomId: string, messages: readonly Message[]): RawJson | readonly Message[] {
    if (messages.length < MIN_CACHED || !messages.every(Object.isFrozen)) return messages;
    const hit = this.#entries.get(roomId);
    if (hit && hit.messages.length === messages.length && hit.messages.every((m, i) => m === messages[i])) return hit.raw;
    const raw = new RawJson(JSON.stringify(messages));
    this.#entries.set(roomId, { messages, raw });
    return raw;
  }
}
