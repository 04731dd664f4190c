/**
 * Batched WebSocket writes (server/realtime/batched-writes.ts) over a real server: the packets
 * a socket gets in one turn of the event loop leave in one system call, and the client still
 * gets every one of them, in order.
 */
import assert from 'node:assert/strict';
import type { Socket as TcpSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Message } from 'live-chat-protocol';
import { call, ok, send, startServer, type Client, type TestServer } from '../helpers.ts';

describe('batched WebSocket writes', () => {
  let t: TestServer;
  before(async () => {
    // Coalesced broadcasts flush at once, then at most once a minute: none lands between a send and its ack.
    t = await startServer({ config: { statsIntervalMs: 60_000 } });
  });
  after(() => t.destroy());

  /** Counts the system calls that write to `client`'s TCP socket on the server side. */
  function countWrites(client: Client): { readonly writes: number; serverSocket: ReturnType<typeof t.server.io.sockets.sockets.get> & object } {
    const serverSocket = t.server.io.sockets.sockets.get(client.id!)!;
    const tcp = (serverSocket.conn.transport as unknown as { socket: { _socket: TcpSocket } }).socket._socket;
    const counter = { writes: 0, serverSocket };
    const { _write, _writev } = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    Object.assign(tcp, {
      _write(...args: unknown[]) {
        counter.writes++;
        return _write.apply(tcp, args);
      },
      _writev(...args: unknown[]) {
        counter.writes++;
        return _writev.apply(tcp, args);
      },
    });
    return counter;
  }

  it('writes a burst of 50 packets to one socket in one system call, all delivered in order', async () => {
    const client = await t.connect(null);
    ok(await call(client, 'room:join', { roomId: 'lobby' }));
    const counter = countWrites(client);
    const received: number[] = [];
    const all = new Promise<void>((resolve) => {
      client.on('room:stats' as never, ((stats: { viewers: number }) => {
        received.push(stats.viewers);
        if (received.length === 50) resolve();
      }) as never);
    });
    for (let i = 0; i < 50; i++) counter.serverSocket.emit('room:stats', { roomId: 'lobby', viewers: i, likes: 0 });
    await all;
    assert.deepEqual(received, Array.from({ length: 50 }, (_, i) => i));
    assert.equal(counter.writes, 1, `${counter.writes} writes for 50 packets of one turn (one each without batching)`);
  });

  it("sends a message's broadcast and its ack to the sender in one write, the broadcast first", async () => {
    const client = await t.joined('Batched Bea');
    const counter = countWrites(client);
    const order: string[] = [];
    client.on('message:new', (m) => void order.push(`new ${m.text}`));
    for (const text of ['one', 'two', 'three']) {
      const before = counter.writes;
      const ack = ok<{ message: Message }>(await send(client, text));
      order.push(`ack ${ack.message.text}`);
      assert.equal(counter.writes - before, 1, `the send of "${text}" took ${counter.writes - before} writes`);
    }
    assert.deepEqual(order, ['new one', 'ack one', 'new two', 'ack two', 'new three', 'ack three']);
  });
});
