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
// `node bench/baseline-server.js` with PORT set; logs `listening` once it listens.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
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
    io.to(roomId).emit('message:new', message);
    if (typeof ack === 'function') ack({ ok: true, message });
  });
});
http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
const stop = () => io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
