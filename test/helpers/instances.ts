/**
 * Server instances as separate processes, as a deployment runs them: `node server/bin.js`
 * (the compiled server: run `npx tsc -b server` first; `npm test` builds), each with its own
 * env (its own `DATA_DIR`, shared `DATABASE_URL` / `REDIS_URL`), plus clients for them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import assert from 'node:assert/strict';
import type { ClientToServerEvents, JoinAck, Message, SendAck, ServerToClientEvents } from 'live-chat-protocol';
import { repoRoot } from './processes.ts';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Instance {
  name: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (pino JSON lines). */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const bin = join(repoRoot, 'server', 'bin.js');

/**
 * Runs `node server/bin.js` with `env` on top of a test env (NODE_ENV=test, HOST=127.0.0.1,
 * PORT=0: a free port, LOG_LEVEL=info), its output collected.
 * @returns the process, everything it printed so far, and its exit code once it has exited
 *   and its pipes are drained ('close').
 * @throws when the compiled server is missing.
 */
export function runInstance(env: Record<string, string>): { child: ChildProcess; output(): string; closed: Promise<number | null> } {
  if (!existsSync(join(repoRoot, 'server', 'dist', 'cli.js'))) throw new Error('server/dist is missing: run `npx tsc -b server` first');
  const child = spawn(process.execPath, [bin], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, closed };
}

/**
 * Starts `node server/bin.js` ({@link runInstance}) and resolves on its `listening` log line
 * (≤ 30 s).
 * @throws when the compiled server is missing, or the process exits or stays silent.
 */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const { child, output, closed } = runInstance(env);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listening = output()
      .split('\n')
      .map((line) => {
        try {
          return JSON.parse(line) as { msg?: string; url?: string };
        } catch {
          return null;
        }
      })
      .find((l) => l?.msg === 'listening');
    if (listening?.url) {
      return {
        name,
        url: listening.url.replace('localhost', '127.0.0.1'),
        child,
        output,
        async stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await closed;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`instance ${name} did not start:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `GET /ready` of `instance`: its status code and its checks by name (`ok` or `down`). */
export async function readiness(instance: { url: string }): Promise<{ status: number; checks: Record<string, string> }> {
  const res = await fetch(`${instance.url}/ready`);
  return { status: res.status, checks: ((await res.json()) as { checks: Record<string, string> }).checks };
}

/** A dev token for `name` (sub `dev-<slug>`: the same user on every instance sharing the JWT secret). */
export async function devToken(instance: { url: string }, name: string, roles: string[] = []): Promise<string> {
  const res = await fetch(`${instance.url}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, roles }),
  });
  if (!res.ok) throw new Error(`dev token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Connects over WebSocket (no automatic reconnection: tests reconnect on purpose). */
export function connect(instance: { url: string }, token: string): Promise<ChatClient> {
  const socket: ChatClient = connectClient(instance.url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Emits with an ack (timeout `timeoutMs`, default 5 s); rejects on the timeout. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function request(socket: ChatClient, event: string, payload: unknown, timeoutMs = 5000): Promise<any> {
  const s = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
  return s.emitWithAck(event, payload);
}

/** How long the helpers below wait for an ack: a bound, not a timing (acks on a shared, loaded 2-core machine can take seconds). */
export const ACK_TIMEOUT_MS = 30_000;

/** Joins `roomId` (with `sinceSeq` when given) and answers the ack; fails the test when refused. */
export async function joinRoom(socket: ChatClient, roomId = 'lobby', sinceSeq?: number): Promise<JoinAck> {
  const ack = await request(socket, 'room:join', sinceSeq === undefined ? { roomId } : { roomId, sinceSeq }, ACK_TIMEOUT_MS);
  assert.equal(ack.ok, true, JSON.stringify(ack).slice(0, 300));
  return ack as JoinAck;
}

let sent = 0;
/** Sends `text` with a fresh `clientId`; answers the ack as it came (refusals included). */
export function sendMessage(socket: ChatClient, text: string, roomId = 'lobby'): Promise<({ ok: true } & SendAck) | { ok: false; error: { code: string } }> {
  return request(socket, 'message:send', { roomId, clientId: `it-${process.pid}-${++sent}`, text }, ACK_TIMEOUT_MS);
}

/** Every `message:new` the socket receives from now on, in arrival order. */
export function heard(socket: ChatClient): Message[] {
  const seen: Message[] = [];
  socket.on('message:new', (m) => seen.push(m));
  return seen;
}
