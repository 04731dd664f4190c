/**
 * Graceful drain (`server.close()`, what the CLI runs on SIGTERM / SIGINT), in process over a
 * real SQLite file: sends in flight are acked or refused, none is left hanging, nothing is
 * half-written; events that arrive while draining are refused with `internal`; the wait is
 * bounded.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Message } from 'live-chat-protocol';
import { createServer } from '../../server/app.ts';
import { SHUTTING_DOWN } from '../../server/realtime/ack.ts';
import { createLedger, openDatabase } from '../../server/stores/sqlite-ledger.ts';
import { call, clientId, eventually, ok, startServer, tempDir, testConfig, type Client } from './helpers.ts';

type SendAnswer = { ok: true; message: Message } | { ok: false; error: { code: string; message: string } } | { lost: string };

/** Sends and resolves with the ack, or with `{ lost }` when the socket answered nothing (timeout, disconnect). */
const sendAnswer = (socket: Client, text: string): Promise<SendAnswer> =>
  call(socket, 'message:send', { roomId: 'lobby', clientId: clientId(), text }).then(
    (ack: SendAnswer) => ack,
    (err: Error) => ({ lost: err.message }),
  );

describe('graceful drain', () => {
  it('acks or refuses every send in flight when close() is called, and keeps every acked message', async () => {
    const t = await startServer({ config: { messagesPerMinute: 100_000 } });
    try {
      const sockets: Client[] = [];
      for (const name of ['Drain Ann', 'Drain Bob', 'Drain Cy', 'Drain Di']) {
        const token = await t.token(name);
        for (let i = 0; i < 2; i++) {
          const s = await t.connect(token);
          ok(await call(s, 'room:join', { roomId: 'lobby' }));
          sockets.push(s);
        }
      }

      // Hold every send inside its handler until close() has begun, then let them finish at
      // staggered times while the server drains.
      const chat = t.server.services.chat;
      const send = chat.send;
      let received = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      chat.send = async (...args) => {
        received += 1;
        await gate;
        await sleep(Math.floor(Math.random() * 20));
        return send.apply(chat, args);
      };

      const inFlight = Array.from({ length: 200 }, (_, i) => sendAnswer(sockets[i % sockets.length]!, `in flight ${i}`));
      await eventually(() => assert.equal(received, 200));
      const closed = t.server.close();

      // Arriving while the server drains: refused at once, not run.
      const late = await Promise.all(Array.from({ length: 16 }, (_, i) => sendAnswer(sockets[i % sockets.length]!, `late ${i}`)));
      assert.deepEqual(late, late.map(() => ({ ok: false, error: SHUTTING_DOWN })));
      assert.equal(received, 200, 'no refused send reached the service');

      release();
      const answers = await Promise.all(inFlight);
      await closed;
      chat.send = send;

      assert.deepEqual(answers.filter((a) => 'lost' in a), [], 'sends left without an answer');
      const acked = answers.filter((a): a is { ok: true; message: Message } => 'ok' in a && a.ok);
      assert.equal(acked.length, 200, JSON.stringify(answers.find((a) => !('ok' in a && a.ok))));

      const ledger = createLedger(openDatabase(t.dataDir));
      try {
        const stored = await ledger.messagesAfter('lobby', 0, 1000);
        assert.deepEqual(
          stored.map((m) => m.id).sort(),
          acked.map((a) => a.message.id).sort(),
          'the ledger holds exactly the acked messages',
        );
        for (const a of acked) assert.equal(stored.find((m) => m.id === a.message.id)!.seq, a.message.seq);
        const users = await ledger.listUsers();
        assert.equal(users.length, 4);
        for (const userId of users) {
          const audit = await ledger.audit(userId);
          assert.equal(audit.totalXp, audit.xpEventsSum, `${userId}: total XP = Σ XP events`);
          assert.equal(audit.coinBalance, audit.coinEventsSum, `${userId}: coin balance = Σ coin events`);
        }
      } finally {
        await ledger.close();
      }
    } finally {
      await t.destroy();
    }
  });

  it('waits at most drainTimeoutMs for a handler that does not finish', async () => {
    const dataDir = tempDir();
    const server = createServer(testConfig(dataDir), { drainTimeoutMs: 300 });
    try {
      await server.ready;
      await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
      const { port } = server.http.address() as AddressInfo;
      const t = { url: `http://127.0.0.1:${port}` };
      const { io } = await import('socket.io-client');
      const token = await server.services.identity.mintDevToken('Stuck Sam', []);
      const socket: Client = io(t.url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
      await new Promise((resolve) => socket.once('connect', () => resolve(null)));
      ok(await call(socket, 'room:join', { roomId: 'lobby' }));

      let release!: () => void;
      const stuck = new Promise<void>((resolve) => (release = resolve));
      const send = server.services.chat.send;
      let reached = false;
      server.services.chat.send = async (...args) => {
        reached = true;
        await stuck;
        return send.apply(server.services.chat, args);
      };
      const answer = sendAnswer(socket, 'never finishes');
      await eventually(() => assert.equal(reached, true));

      const started = Date.now();
      await server.close();
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 3000, `close() took ${took} ms`);
      assert.ok('lost' in (await answer), 'the stuck send was cut off by the disconnect, not acked');
      release();
      socket.close();
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
