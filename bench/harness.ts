/**
 * The bench's moving parts: load generator processes (bench/load-worker.js) driven over IPC,
 * the two kinds of server under test (the real one, spawned as `npm start` runs it, and the
 * bare Socket.IO baseline), and small statistics. Loopback only.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { freePort, repoRoot, startChatServer, type RunningServer } from '../test/helpers/processes.ts';

/* ------------------------------------------------------------------ statistics */

/** The p-th percentile (0..100) of `xs` (nearest rank); NaN when empty. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Resident memory of a process, in KB (Linux /proc). */
export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** CPU time (user + system, ms, all threads) the process `pid` has used so far, from /proc (10 ms ticks). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/* ------------------------------------------------------------------ load generators */

type Answer = Record<string, unknown> & { ok: boolean; error?: string };

/** One load generator process. */
export class LoadWorker {
  private next = 0;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: Answer & { id?: number }) => {
      if (m.id === undefined) return;
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  static async start(): Promise<LoadWorker> {
    const child = fork(join(repoRoot, 'bench', 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
    });
    return new LoadWorker(child);
  }

  /** Runs `cmd` in the worker; rejects with its error, or after `timeoutMs`. */
  request<T = Answer>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load worker: ${cmd} took over ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.ok) resolve(answer as T);
        else reject(new Error(`load worker ${cmd}: ${answer.error}`));
      });
      this.child.send({ id, cmd, ...args });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.request('close', {}, 5000).catch(() => this.child.kill('SIGKILL'));
    await exited;
  }
}

/** Several load generator processes; `all` runs one command in each at once. */
export class LoadPool {
  private constructor(readonly workers: LoadWorker[]) {}

  static async start(n: number): Promise<LoadPool> {
    return new LoadPool(await Promise.all(Array.from({ length: n }, () => LoadWorker.start())));
  }

  /** Runs `cmd` in every worker at once; `args` may depend on the worker's index. */
  all<T = Answer>(cmd: string, args: Record<string, unknown> | ((i: number) => Record<string, unknown>) = {}, timeoutMs?: number): Promise<T[]> {
    return Promise.all(this.workers.map((w, i) => w.request<T>(cmd, typeof args === 'function' ? args(i) : args, timeoutMs)));
  }

  /** Splits `total` connections over the workers: worker i's share. */
  share(total: number, i: number): number {
    const n = this.workers.length;
    return Math.floor(total / n) + (i < total % n ? 1 : 0);
  }

  close(): Promise<void[]> {
    return Promise.all(this.workers.map((w) => w.close()));
  }
}

/**
 * The value of sample `name` (a Prometheus sample name, e.g. `…_count`) in `url`/metrics;
 * NaN when the server does not report it.
 */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

/* ------------------------------------------------------------------ servers under test */

export interface Target {
  /** `live-chat (SQLite)`, `live-chat (PostgreSQL)` or `bare Socket.IO`. */
  name: string;
  bare: boolean;
  url: string;
  pid: number;
  /** A token for a new signed-in user (null for the baseline, which takes anyone). */
  token(name: string): Promise<string | null>;
  /** Creates a room (the baseline makes rooms on first use). */
  createRoom(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** The real server as `npm start` runs it (built when stale), with the bench's limits lifted. */
export async function startLiveChat(name: string, env: Record<string, string>): Promise<Target> {
  const server: RunningServer = await startChatServer({
    // The default level, as a deployment logs (a line per message would be at debug).
    LOG_LEVEL: 'info',
    MESSAGES_PER_MINUTE: '100000',
    ROOM_LIKES_PER_MINUTE: '100000',
    // BENCH_CPU_PROF=DIR: the server writes a V8 CPU profile (.cpuprofile) to DIR when it stops.
    ...(process.env.BENCH_CPU_PROF ? { NODE_OPTIONS: `--import=${pathToFileURL(join(repoRoot, 'bench', 'cpu-profile.js')).href}` } : {}),
    ...env,
  });
  const devToken = async (user: string, roles: string[] = []) => {
    const res = await fetch(`${server.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user, roles }),
    });
    if (!res.ok) throw new Error(`dev token: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  const host = await devToken('Bench Host', ['host']);
  return {
    name,
    bare: false,
    url: server.url,
    pid: server.process.pid!,
    token: (user) => devToken(user),
    async createRoom(id) {
      const res = await fetch(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${host}` },
        body: JSON.stringify({ id, title: id }),
      });
      if (res.status !== 201) throw new Error(`create room ${id}: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await server.stop();
    },
  };
}

/** bench/baseline-server.js on a free port. */
export async function startBaseline(name = 'bare Socket.IO', env: Record<string, string> = {}): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'bench', 'baseline-server.js')], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return {
    name,
    bare: true,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    token: async () => null,
    createRoom: async () => undefined,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A socket of the bench process itself (set-up work: history, not measured). */
export function connect(url: string, token: string | null): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: token ? { token } : {} });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Sends `count` messages to `roomId` from one signed-in socket, 20 in flight (set-up, not measured). */
export async function fillHistory(target: Target, roomId: string, count: number): Promise<void> {
  const socket = await connect(target.url, await target.token('History Writer'));
  try {
    const join = await socket.timeout(30_000).emitWithAck('room:join', { roomId });
    if (!join.ok) throw new Error(`join ${roomId}: ${JSON.stringify(join.error)}`);
    for (let i = 0; i < count; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, k) => {
          const ack = await socket.timeout(30_000).emitWithAck('message:send', { roomId, clientId: `history-${roomId}-${i + k}-x`, text: `history message ${i + k}` });
          if (!ack.ok) throw new Error(`history send: ${JSON.stringify(ack.error)}`);
        }),
      );
    }
  } finally {
    socket.disconnect();
  }
}
