/**
 * A Socket.IO packet codec for JSON payloads only, passed to socket.io-client through its
 * documented `parser` option. It writes and reads exactly the text format of the default
 * `socket.io-parser` (protocol 5: `<type>[<nsp>,][<id>][<json>]`), so the server keeps its
 * default parser; what it leaves out is binary attachments, which the live-chat wire
 * contract never uses (docs/protocol.md: every payload is JSON).
 *
 * Why: the default parser's binary support costs ~1.2 KB of the widget's 30 KB min+gzip
 * budget; vite.config.ts swaps this module in for `socket.io-parser` in the bundle.
 * test/widget/json-parser.node.test.ts checks it against `socket.io-parser` packet by packet.
 */

/** Socket.IO protocol revision. */
export const protocol = 5;

/** Packet types of the Socket.IO protocol (the binary ones are refused). */
export enum PacketType {
  CONNECT,
  DISCONNECT,
  EVENT,
  ACK,
  CONNECT_ERROR,
  BINARY_EVENT,
  BINARY_ACK,
}

export interface Packet {
  type: PacketType;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Encodes a packet as one text frame. */
export class Encoder {
  encode(p: Packet): string[] {
    return [`${p.type}${p.nsp && p.nsp !== '/' ? p.nsp + ',' : ''}${p.id ?? ''}${p.data === undefined ? '' : JSON.stringify(p.data)}`];
  }
}

/** `type`, then an optional `/namespace,`, an optional ack id, an optional JSON payload. */
const FORMAT = /^([0-4])(\/[^,]*(?:,|$))?(\d+)?([^]*)$/;

/**
 * Decodes text frames; emits `decoded` with each packet.
 * @throws on a binary packet, an unknown type or a payload that does not fit its type (the
 *   manager then closes the connection, as with the default parser).
 */
export class Decoder {
  #listeners = new Set<(p: Packet) => void>();

  /** The manager listens to `decoded` (the only event a decoder emits). */
  on(_event: 'decoded', listener: (p: Packet) => void): void {
    this.#listeners.add(listener);
  }

  off(_event: 'decoded', listener: (p: Packet) => void): void {
    this.#listeners.delete(listener);
  }

  add(frame: unknown): void {
    const m = typeof frame === 'string' ? FORMAT.exec(frame) : null;
    if (!m) throw new Error('invalid packet');
    const p: Packet = { type: Number(m[1]), nsp: m[2]?.replace(/,$/, '') || '/' };
    if (m[3]) p.id = Number(m[3]);
    if (m[4]) {
      const data = JSON.parse(m[4]);
      const ok = [
        typeof data === 'object' && data !== null && !Array.isArray(data), // CONNECT
        false, // DISCONNECT has no payload
        Array.isArray(data) && (typeof data[0] === 'number' || typeof data[0] === 'string'), // EVENT
        Array.isArray(data), // ACK
        typeof data === 'string' || (typeof data === 'object' && data !== null && !Array.isArray(data)), // CONNECT_ERROR
      ][p.type];
      if (!ok) throw new Error('invalid payload');
      p.data = data;
    }
    for (const listener of this.#listeners) listener(p);
  }

  destroy(): void {}
}
