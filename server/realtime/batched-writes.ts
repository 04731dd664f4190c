/**
 * One socket write per flush, not per packet (issue 8, throughput).
 *
 * engine.io's WebSocket transport writes the packets of one flush one by one, and `ws` sends
 * each frame with its own write: one `writev` system call per packet. Packets pile up for a
 * socket whenever it is still writing: a group commit's broadcasts (one `message:new` per
 * message of the batch) and the acks that follow them. In one room of 8 senders that was 9.0
 * writes per message; corking the socket for the whole flush makes it 5.4, the same frames in
 * the same order.
 *
 * The transport is engine.io's own (its exported `transports.websocket`); this wraps its
 * `send(packets)` in `cork()` / `uncork()` of the TCP socket under the WebSocket, which Node
 * turns into one `writev` of everything written in between. A flush of one packet is left
 * as it is.
 */
import { createRequire } from 'node:module';

/** The part of engine.io's WebSocket transport this touches. */
interface WebSocketTransport {
  /** The `ws` WebSocket; `_socket` is its TCP socket (null once closed). */
  socket?: { _socket?: { cork(): void; uncork(): void } | null };
  send(packets: unknown[]): void;
}

const BATCHED = Symbol.for('live-chat.batchedWrites');

/**
 * Makes every engine.io WebSocket transport of this process write a flush of several packets
 * in one system call. Idempotent (the first call patches, later ones do nothing).
 * @throws when engine.io no longer exports its WebSocket transport with a `send` method (an
 *   engine.io upgrade changed what this relies on): fails at start-up, never mid-event.
 */
export function batchWebSocketWrites(): void {
  const engine = createRequire(import.meta.url)('engine.io') as { transports?: { websocket?: { prototype: WebSocketTransport & { [BATCHED]?: true } } } };
  const proto = engine.transports?.websocket?.prototype;
  if (!proto || typeof proto.send !== 'function') throw new Error('engine.io exports no WebSocket transport with send(packets): batched writes need updating');
  if (proto[BATCHED]) return;
  const sendEach = proto.send;
  proto.send = function send(this: WebSocketTransport, packets: unknown[]) {
    const tcp = this.socket?._socket;
    if (!tcp || packets.length < 2) return sendEach.call(this, packets);
    tcp.cork();
    try {
      sendEach.call(this, packets);
    } finally {
      tcp.uncork();
    }
  };
  proto[BATCHED] = true;
}
