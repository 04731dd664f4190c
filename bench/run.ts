/**
 * `npm run bench`: measures the reference server as an integrator runs it (spawned like
 * `npm start`, real SQLite file in a temp dir, memory hot store) and the widget bundle.
 *
 * Prints a Markdown table to paste into the README. Loopback only; bounded in count and time.
 *   - ack latency of `message:send` (ms, p50/p95/p99) with S senders in one room
 *   - fan-out latency: send → `message:new` seen by every one of V viewers (ms, p50/p95)
 *   - throughput: acked messages per second
 *   - join with 100 messages of history (ms, p50/p95)
 *   - server resident memory (MB) idle and after the run (from /proc/<pid>/status)
 *   - bundle size: widget/dist/live-chat.js raw and min+gzip (KB)
 *   - cold start to /health of `node server/bin.js` vs a bare Socket.IO server (bench/startup.ts)
 * Env: BENCH_VIEWERS (default 50), BENCH_SENDERS (5), BENCH_MESSAGES (2000).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { io, type Socket } from 'socket.io-client';
import { measureStartup } from './startup.ts';
import { repoRoot, startChatServer } from '../test/helpers/processes.ts';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 5);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => x.toFixed(2);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function token(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return ((await res.json()) as { token: string }).token;
}

function connect(url: string, authToken?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: authToken ? { token: authToken } : {}, transports: ['websocket'], reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'live-chat-bench-'));
const server = await startChatServer({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'error',
  MESSAGES_PER_MINUTE: '100000',
  ROOM_LIKES_PER_MINUTE: '100000',
});
const rows: [string, string][] = [];
try {
  const pid = server.process.pid!;
  // scripts/start.js runs the server as its child: measure the real server process.
  const serverPid = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || pid;
  rows.push(['server RSS idle', `${rssMb(serverPid).toFixed(1)} MB`]);

  const viewers = await Promise.all(Array.from({ length: VIEWERS }, () => connect(server.url)));
  await Promise.all(viewers.map((s) => s.emitWithAck('room:join', { roomId: 'lobby' })));
  const senders = await Promise.all(
    Array.from({ length: SENDERS }, async (_, i) => connect(server.url, await token(server.url, `bench-sender-${i}`))),
  );
  await Promise.all(senders.map((s) => s.emitWithAck('room:join', { roomId: 'lobby' })));

  // Fan-out: when did the last viewer see each message?
  const sentAt = new Map<string, number>();
  const seenBy = new Map<string, number>();
  const fanout: number[] = [];
  for (const v of viewers) {
    v.on('message:new', (m: { clientId: string }) => {
      const n = (seenBy.get(m.clientId) ?? 0) + 1;
      seenBy.set(m.clientId, n);
      if (n === VIEWERS) fanout.push(performance.now() - sentAt.get(m.clientId)!);
    });
  }

  const acks: number[] = [];
  const perSender = Math.ceil(MESSAGES / SENDERS);
  const start = performance.now();
  await Promise.all(
    senders.map(async (s, i) => {
      for (let k = 0; k < perSender; k++) {
        const clientId = `bench-${i}-${k}-${Math.random().toString(36).slice(2, 10)}`;
        const t0 = performance.now();
        sentAt.set(clientId, t0);
        const ack = await s.emitWithAck('message:send', { roomId: 'lobby', clientId, text: `message ${k} from sender ${i}` });
        if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
        acks.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 500));

  rows.push([`message:send ack, ${SENDERS} senders (p50 / p95 / p99)`, `${ms(percentile(acks, 50))} / ${ms(percentile(acks, 95))} / ${ms(percentile(acks, 99))} ms`]);
  rows.push([`throughput, ${acks.length} messages`, `${Math.round(acks.length / elapsed)} msg/s`]);
  rows.push([`fan-out to all ${VIEWERS} viewers (p50 / p95)`, `${ms(percentile(fanout, 50))} / ${ms(percentile(fanout, 95))} ms (${fanout.length} messages)`]);

  const joins: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = await connect(server.url);
    const t0 = performance.now();
    const ack = await s.emitWithAck('room:join', { roomId: 'lobby' });
    joins.push(performance.now() - t0);
    if (!ack.ok || ack.messages.length === 0) throw new Error('join returned no history');
    s.close();
  }
  rows.push(['room:join with 100 messages of history (p50 / p95)', `${ms(percentile(joins, 50))} / ${ms(percentile(joins, 95))} ms`]);
  rows.push([`server RSS with ${VIEWERS + SENDERS} sockets after the run`, `${rssMb(serverPid).toFixed(1)} MB`]);
  for (const s of [...viewers, ...senders]) s.close();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const bundle = join(repoRoot, 'widget', 'dist', 'live-chat.js');
if (existsSync(bundle)) {
  const code = readFileSync(bundle);
  rows.push(['widget/dist/live-chat.js raw / min+gzip', `${(code.length / 1024).toFixed(1)} KB / ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KB`]);
}

const startup = await measureStartup();
rows.push(['cold start to /health: node server/bin.js / bare Socket.IO (medians of 5)', `${startup.serverMs.toFixed(0)} / ${startup.baselineMs.toFixed(0)} ms (${startup.ratio.toFixed(2)}×)`]);

console.log(`\n| measure (node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}) | result |\n| --- | --- |`);
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
