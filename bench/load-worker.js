// A load generator process of `npm run bench` (bench/run.ts forks several): holds many
// socket.io-client connections and runs what the parent asks over IPC, answering with its
// measurements. Times are epoch ms with sub-ms precision (`performance.timeOrigin + now()`),
// comparable between the processes of one machine.
//
// Requests `{ id, cmd, ...args }`, answers `{ id, ok: true, ...result }` or `{ id, ok: false, error }`:
// - connect { url, count, tokens? }      opens `count` WebSocket connections (a token each when given)
// - join { roomId, roomIds? }            every socket joins at once: ack latencies (ms), first/last
//                                        times, and how many joins were refused or dropped
// - count { on }                         starts (on) or stops and answers the frames received per socket
// - watch { prefix, on }                 records when each `message:new` whose text starts with
//                                        `prefix` arrived (the last arrival per text in this process)
// - closedLoop { roomIds, ms }           socket i sends to roomIds[i % n], the next once acked, for `ms`
// - openLoop { roomIds, rate, ms, prefix } sends `rate` messages/s in total (round robin over the
//                                        sockets and rooms), no waiting for acks; answers send times
//                                        and ack latencies
// - received {}                          how many watched messages arrived so far
// - disconnect {}                        closes every socket (the process stays for the next scenario)
// - close                                disconnects everything and exits
import { io } from 'socket.io-client';

const now = () => performance.timeOrigin + performance.now();
/** @type {import('socket.io-client').Socket[]} */
let sockets = [];
let counting = false;
let frames = 0;
let watchPrefix = null;
/** text → last arrival (ms) */
let arrivals = new Map();
let received = 0;

function attach(socket) {
  socket.onAny((event, payload) => {
    if (counting) frames++;
    if (event === 'message:new' && watchPrefix !== null && typeof payload?.text === 'string' && payload.text.startsWith(watchPrefix)) {
      arrivals.set(payload.text, now());
      received++;
    }
  });
}

function connect(url, token) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: token ? { token } : {} });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const emitAck = (socket, event, payload) => socket.timeout(60_000).emitWithAck(event, payload);
let sendCounter = 0;
const clientId = () => `b${process.pid}-${++sendCounter}-${Math.random().toString(36).slice(2, 10)}`;

const handlers = {
  async connect({ url, count, tokens }) {
    for (let i = 0; i < count; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => connect(url, tokens?.[i + k])));
      batch.forEach(attach);
      sockets.push(...batch);
    }
    return { sockets: sockets.length };
  },
  async join({ roomId, roomIds }) {
    const first = now();
    let failed = 0;
    const latencies = await Promise.all(
      sockets.map(async (s, i) => {
        const t0 = now();
        try {
          const ack = await emitAck(s, 'room:join', { roomId: roomIds ? roomIds[i % roomIds.length] : roomId });
          if (ack.ok) return now() - t0;
        } catch {
          /* dropped (e.g. the server missed heartbeats): counted below */
        }
        failed++;
        return null;
      }),
    );
    return { latencies: latencies.filter((l) => l !== null), failed, first, last: now() };
  },
  async count({ on }) {
    counting = on;
    const result = { frames, sockets: sockets.length };
    if (on) frames = 0;
    return result;
  },
  async watch({ prefix, on }) {
    if (on) {
      watchPrefix = prefix;
      arrivals = new Map();
      received = 0;
      return {};
    }
    watchPrefix = null;
    return { arrivals: Object.fromEntries(arrivals), received };
  },
  async closedLoop({ roomIds, ms }) {
    const end = now() + ms;
    const latencies = [];
    await Promise.all(
      sockets.map(async (s, i) => {
        const roomId = roomIds[i % roomIds.length];
        while (now() < end) {
          const t0 = now();
          const ack = await emitAck(s, 'message:send', { roomId, clientId: clientId(), text: `closed loop message from ${process.pid}` });
          if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
          latencies.push(now() - t0);
        }
      }),
    );
    return { latencies, ms };
  },
  async openLoop({ roomIds, rate, ms, prefix }) {
    const sent = [];
    const latencies = [];
    const pending = [];
    const start = now();
    const total = Math.round((rate * ms) / 1000);
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / rate;
      const wait = due - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const text = `${prefix}${process.pid}-${k}`;
      const t0 = now();
      sent.push([text, t0]);
      const s = sockets[k % sockets.length];
      pending.push(
        emitAck(s, 'message:send', { roomId: roomIds[k % roomIds.length], clientId: clientId(), text }).then((ack) => {
          if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
          latencies.push(now() - t0);
        }),
      );
    }
    await Promise.all(pending);
    return { sent, latencies, ms: now() - start };
  },
  async received() {
    return { received };
  },
  async disconnect() {
    for (const s of sockets) s.disconnect();
    sockets = [];
    return {};
  },
  async close() {
    for (const s of sockets) s.disconnect();
    sockets = [];
    setTimeout(() => process.exit(0), 10);
    return {};
  },
};

process.on('message', async (request) => {
  try {
    const result = await handlers[request.cmd](request);
    process.send({ id: request.id, ok: true, ...result });
  } catch (err) {
    process.send({ id: request.id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true });
