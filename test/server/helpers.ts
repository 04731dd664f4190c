/**
 * Test helpers for the server suite: a real server on a free port over a temp SQLite folder,
 * real socket.io-client connections, an injectable clock, and small waiting utilities.
 */
import { eventually as pollUntil } from '../helpers/net.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createServer, type ChatServerInstance } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Badge, ClientToServerEvents, WireServerToClientEvents as ServerToClientEvents } from 'live-chat-protocol';

export type Client = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

/** A clock tests move by hand; starts at a fixed UTC noon unless told otherwise. */
export class TestClock {
  constructor(public ms = Date.parse('2030-01-15T12:00:00.000Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A fresh temp folder for SQLite; removed by {@link TestServer.destroy}. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'live-chat-test-'));
}

/** The test config: silent logs, a temp DATA_DIR, plus overrides. */
export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' }), ...overrides };
}

export interface TestServer {
  url: string;
  server: ChatServerInstance;
  dataDir: string;
  clock: TestClock;
  config: Config;
  /** A token for `name` (sub `dev-<slug>`), minted by the server's identity service. */
  token(name: string, roles?: Badge[]): Promise<string>;
  /** Connects a client (guest when `token` is null); rejects with the connect_error message. */
  connect(token: string | null): Promise<Client>;
  /** Connects a client with a token for `name` and joins `roomId` (default lobby). */
  joined(name: string, roomId?: string, roles?: Badge[]): Promise<Client>;
  /** Closes clients and server, keeps the data folder. */
  close(): Promise<void>;
  /** Closes and starts a new server over the same data folder and clock (same config). */
  restart(): Promise<TestServer>;
  /** close() and remove the data folder. */
  destroy(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and a free port. */
export async function startServer(
  options: { config?: Partial<Config>; dataDir?: string; clock?: TestClock; staticRoot?: string; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const clock = options.clock ?? new TestClock();
  const config = testConfig(dataDir, options.config);
  const server = createServer(config, { clock: clock.now, staticRoot: options.staticRoot, logger: options.logger });
  await server.ready;
  await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
  const { port } = server.http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const clients = new Set<Client>();

  const t: TestServer = {
    url,
    server,
    dataDir,
    clock,
    config,
    token: (name, roles = []) => server.services.identity.mintDevToken(name, roles),
    connect(token) {
      const socket: Client = connectClient(url, {
        transports: ['websocket'],
        auth: token === null ? {} : { token },
        reconnection: false,
        forceNew: true,
      });
      clients.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (err) => reject(err));
      });
    },
    async joined(name, roomId = 'lobby', roles = []) {
      const socket = await t.connect(await t.token(name, roles));
      const ack = await call(socket, 'room:join', { roomId });
      if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
      return socket;
    },
    async close() {
      for (const c of clients) c.disconnect();
      clients.clear();
      await server.close();
    },
    async restart() {
      await t.close();
      return startServer({ ...options, dataDir, clock });
    },
    async destroy() {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Emits with an ack (5 s timeout) and returns the ack; loose typing for refusal tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function call(socket: Client, event: keyof ClientToServerEvents | string, payload?: unknown): Promise<any> {
  const s = socket.timeout(5000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> };
  return payload === undefined ? s.emitWithAck(event) : s.emitWithAck(event, payload);
}

/** Resolves with the next `event` whose payload passes `match` (rejects after `timeoutMs`). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const on = socket.on.bind(socket) as (e: string, l: (p: never) => void) => void;
    const off = socket.off.bind(socket) as (e: string, l: (p: never) => void) => void;
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off(event, listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    on(event, listener);
  });
}

/** Collects every `event` payload a socket receives from now on. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket.on.bind(socket) as (e: string, l: (p: never) => void) => void)(event, (p) => seen.push(p));
  return seen;
}

/** A client id as the widget makes them (a UUID). */
export const clientId = (): string => crypto.randomUUID();

/** Sends a message and returns the ack (not asserted). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function send(socket: Client, text: string, roomId = 'lobby', id = clientId()): Promise<any> {
  return call(socket, 'message:send', { roomId, clientId: id, text });
}

/** Polls until `check` stops throwing (every 20 ms, at most `timeoutMs`). */
export const eventually = <T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> => pollUntil(check, timeoutMs, 20);

/** JSON fetch against the test server. */
export async function http(
  t: { url: string },
  method: string,
  route: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(t.url + route, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

/** Asserts an ok ack and returns it typed as the caller says. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ok<T = any>(ack: { ok: boolean; error?: unknown }): T {
  assert.equal(ack.ok, true, `expected ok, got ${JSON.stringify(ack).slice(0, 500)}`);
  return ack as T;
}

/** Asserts a refused ack with `code` and returns its error. */
export function refused(ack: { ok: boolean; error?: { code: string } }, code: string) {
  assert.equal(ack.ok, false, `expected ${code}, got ${JSON.stringify(ack).slice(0, 300)}`);
  assert.equal(ack.error!.code, code, JSON.stringify(ack.error));
  return ack.error as { code: string; message: string; retryAfterMs?: number };
}
