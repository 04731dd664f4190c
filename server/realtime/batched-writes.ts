/**
 * One socket write per turn of the event loop, not per packet (issue 8, throughput).
 *
 * engine.io writes a packet as soon as it is sent when the socket is not busy writing, and
 * each waiting packet of a flush as its own WebSocket frame: one `writev` system call per
 * packet, and the client wakes up for each. A chat send makes several packets for the same
 * socket within one turn: its `message:new`, then its ack a few microtasks later, and with a
 * group commit the `message:new` of every message of the batch. Two changes to engine.io,
 * the same frames in the same order:
 *
 * - **Flush at the end of the turn.** `Socket#flush`, which engine.io calls after every
 *   packet, marks the socket instead; one `process.nextTick` callback flushes every marked
 *   socket once the current callback and its microtasks have run. A message and its ack leave
 *   together, and a packet waits for no timer, I/O or later turn.
 * - **Cork each flush.** The WebSocket transport's `send(packets)` runs between `cork()` and
 *   `uncork()` of the TCP socket under the WebSocket, which Node turns into one `writev` of
 *   every frame of the flush.
 *
 * Measured in a scratch run of the bench's one-room throughput (8 senders): 9.0 writes per
 * message with neither, 5.4 with corking alone.
 */
import { createRequire } from 'node:module';

/** The part of engine.io's WebSocket transport this touches. */
interface WebSocketTransport {
  /** The `ws` WebSocket; `_socket` is its TCP socket (null once closed). */
  socket?: { _socket?: { cork(): void; uncork(): void } | null };
  send(packets: unknown[]): void;
}

/** The part of engine.io's `Socket` (one client connection) this touches. */
interface EngineSocket {
  /** Packets sent and not yet handed to the transport. */
  writeBuffer: unknown[];
  /** Hands the write buffer to the transport when it can take it; engine.io calls it after every packet. */
  flush(): void;
}

interface EngineIo {
  Socket?: { prototype: EngineSocket & { [BATCHED]?: true } };
  transports?: { websocket?: { prototype: WebSocketTransport } };
}

const BATCHED = Symbol.for('live-chat.batchedWrites');

/**
 * Makes every engine.io socket of this process flush once per turn of the event loop, and
 * write each flush of the WebSocket transport in one system call (see the module comment).
 * Idempotent (the first call patches, later ones do nothing).
 * @throws when engine.io no longer exports `Socket` with `flush()` or its WebSocket transport
 *   with `send(packets)` (an engine.io upgrade changed what this relies on): fails at
 *   start-up, never mid-event.
 */
export function batchWebSocketWrites(): void {
  const engine = createRequire(import.meta.url)('engine.io') as EngineIo;
  const socketProto = engine.Socket?.prototype;
  const transportProto = engine.transports?.websocket?.prototype;
  if (typeof socketProto?.flush !== 'function' || typeof transportProto?.send !== 'function') {
    throw new Error('engine.io exports no Socket with flush() or WebSocket transport with send(packets): batched writes need updating');
  }
  if (socketProto[BATCHED]) return;

  const flushNow = socketProto.flush;
  /** Sockets with packets waiting for the end of this turn (in the order they got their first). */
  const marked = new Set<EngineSocket>();
  let scheduled = false;
  const flushMarked = () => {
    scheduled = false;
    try {
      for (const socket of marked) {
        marked.delete(socket);
        flushNow.call(socket);
      }
    } finally {
      // A flush that threw leaves the others marked: they still go, in a tick of their own.
      if (marked.size > 0 && !scheduled) {
        scheduled = true;
        process.nextTick(flushMarked);
      }
    }
  };
  socketProto.flush = function flush(this: EngineSocket) {
    if (this.writeBuffer.length === 0) return;
    marked.add(this);
    if (!scheduled) {
      scheduled = true;
      process.nextTick(flushMarked);
    }
  };

  const sendEach = transportProto.send;
  transportProto.send = function send(this: WebSocketTransport, packets: unknown[]) {
    const tcp = this.socket?._socket;
    if (!tcp || packets.length < 2) return sendEach.call(this, packets);
    tcp.cork();
    try {
      sendEach.call(this, packets);
    } finally {
      tcp.uncork();
    }
  };
  socketProto[BATCHED] = true;
}
