// The bench's baseline: a bare Express 5 + Socket.IO 4.8 server on plain node doing the chat's
// work without its rules (no identity, no ledger, no limits, no economy, no presence): the
// reference `npm run bench` prints every figure of the real server against, from the same run.
//
// - GET /health → 200.
// - `room:join {roomId}` joins the Socket.IO room and acks `{ ok, messages }` with the room's
//   last HISTORY messages (kept in memory; BASELINE_HISTORY pre-filled in every room, default 100).
// - `message:send {roomId, clientId, text}` makes a message shaped like the real one (id, seq,
//   user, createdAt…), emits `message:new` to the room and acks `{ ok, message }`: a bare echo.
//
// With BASELINE_DATABASE_URL (`postgres://…`) it is the floor of a server that acks after a
// PostgreSQL commit: live-chat's group committer (server/dist, so build the server first)
// batches what arrives while a commit runs, or in the same turn of the event loop (at most
// 64), and each batch is inserted in ONE transaction, sent in one round trip (BEGIN, one INSERT of
// the rows as JSON, COMMIT on a pipelined connection), and emitted and acked once it has
// committed; seq stays in memory (one process). No rule, no lock, no read: what the database's
// round trip and commit alone cost.
//
// `node bench/baseline-server.js` with PORT set; logs `listening` once it listens.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
import pg from 'pg';
import { Server } from 'socket.io';

const HISTORY = 100;
const prefill = Number(process.env.BASELINE_HISTORY ?? 100);
const user = { id: 'bare-sender', name: 'Bare Sender', avatarUrl: null, badges: [] };
/** roomId → { seq, messages (the last HISTORY) } */
const rooms = new Map();

function room(roomId) {
  let r = rooms.get(roomId);
  if (!r) {
    r = { seq: 0, messages: [] };
    rooms.set(roomId, r);
    for (let i = 0; i < prefill; i++) store(r, roomId, `history-${i}`, `history message ${i} of the baseline`);
  }
  return r;
}

function store(r, roomId, clientId, text) {
  const message = { id: randomUUID(), seq: ++r.seq, roomId, clientId, user, text, createdAt: new Date().toISOString(), likes: 0, reward: null };
  r.messages.push(message);
  if (r.messages.length > HISTORY) r.messages.shift();
  return message;
}

const app = express();
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
const http = createServer(app);
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('room:join', (p, ack) => {
    const r = room(String(p?.roomId));
    socket.join(String(p?.roomId));
    if (typeof ack === 'function') ack({ ok: true, messages: r.messages });
  });
  socket.on('message:send', (p, ack) => {
    const roomId = String(p?.roomId);
    const message = store(room(roomId), roomId, String(p?.clientId), String(p?.text));
    const deliver = () => {
      io.to(roomId).emit('message:new', message);
      if (typeof ack === 'function') ack({ ok: true, message });
    };
    if (commit) commit(message).then(deliver);
    else deliver();
  });
});

/** Ends the database pool, if any, as the process stops. */
let stopDatabase = async () => {};
/**
 * With BASELINE_DATABASE_URL: the server's own group committer (built in server/dist, which
 * the bench's live-chat servers build before this one starts), the same batching as
 * live-chat's, over a "ledger" that inserts a batch in one transaction and one socket write
 * (`together`, as the PostgreSQL ledger sends a round trip's statements).
 */
const commit = process.env.BASELINE_DATABASE_URL ? await databaseCommitter(process.env.BASELINE_DATABASE_URL) : null;

async function databaseCommitter(connectionString) {
  const { createGroupCommitter } = await import('../server/dist/services/group-commit.js');
  const { together } = await import('../server/dist/stores/postgres/pool.js');
  const database = new pg.Pool({ connectionString, max: 4, pipeline: true });
  await database.query(`CREATE TABLE IF NOT EXISTS bare_messages (id uuid PRIMARY KEY, room_id text NOT NULL, seq integer NOT NULL,
    client_id text NOT NULL, text text NOT NULL, created_at bigint NOT NULL, UNIQUE (room_id, seq))`);
  const insert = async (messages) => {
    const rows = messages.map((m) => ({ id: m.id, room_id: m.roomId, seq: m.seq, client_id: m.clientId, text: m.text, created_at: Date.now() }));
    const client = await database.connect();
    try {
      await Promise.all(
        together(client, () => [
          client.query('BEGIN'),
          client.query(
            `INSERT INTO bare_messages (id, room_id, seq, client_id, text, created_at)
             SELECT id, room_id, seq, client_id, text, created_at FROM json_populate_recordset(NULL::bare_messages, $1::json)`,
            [JSON.stringify(rows)],
          ),
          client.query('COMMIT'),
        ]),
      );
      return messages;
    } finally {
      client.release();
    }
  };
  const committer = createGroupCommitter(
    { appendChatMessages: insert },
    { windowMs: 0, maxBatch: 64, committed: () => {}, failed: () => {} },
  );
  stopDatabase = () => database.end();
  return (message) =>
    committer.append(message).catch((err) => {
      console.error('baseline commit failed', err);
      process.exit(1);
    });
}

http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
const stop = () => io.close(() => stopDatabase().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
