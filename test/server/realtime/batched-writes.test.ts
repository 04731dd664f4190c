/**
 * Batched WebSocket writes (server/realtime/batched-writes.ts) over a real server: packets
 * that pile up for a socket leave in one system call, and the client still gets every one of
 * them, in order.
 */
import assert from 'node:assert/strict';
import type { Socket as TcpSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { call, ok, startServer, type TestServer } from '../helpers.ts';

describe('batched WebSocket writes', () => {
  let t: TestServer;
  before(async () => {
    t = await startServer();
  });
  after(() => t.destroy());

  it('writes a burst of 50 packets to one socket in a few system calls, all delivered in order', async () => {
    const client = await t.connect(null);
    ok(await call(client, 'room:join', { roomId: 'lobby' }));
    const serverSocket = t.server.io.sockets.sockets.get(client.id!)!;
    const tcp = (serverSocket.conn.transport as unknown as { socket: { _socket: TcpSocket } }).socket._socket;
    let writes = 0;
    const { _write, _writev } = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    Object.assign(tcp, {
      _write(...args: unknown[]) {
        writes++;
        return _write.apply(tcp, args);
      },
      _writev(...args: unknown[]) {
        writes++;
        return _writev.apply(tcp, args);
      },
    });

    const received: number[] = [];
    const all = new Promise<void>((resolve) => {
      client.on('room:stats' as never, ((stats: { viewers: number }) => {
        received.push(stats.viewers);
        if (received.length === 50) resolve();
      }) as never);
    });
    // 50 packets in one turn: the first is written at once, 49 wait for it and flush together.
    for (let i = 0; i < 50; i++) serverSocket.emit('room:stats', { roomId: 'lobby', viewers: i, likes: 0 });
    await all;
    assert.deepEqual(received, Array.from({ length: 50 }, (_, i) => i));
    assert.ok(writes <= 3, `${writes} writes for 50 packets (one each without batching)`);
  });
});
