/**
 * A throw-away PostgreSQL for tests (Debian's `postgresql`, binaries in
 * `/usr/lib/postgresql/<version>/bin`, or `POSTGRES_BIN`): `initdb -A trust` into a temporary
 * folder, then `postgres` on a free loopback port with `fsync=off` (tests only) and its socket
 * in that folder. As root it runs as the `postgres` user (PostgreSQL refuses root). One server
 * per test file; `createDatabase()` gives each test (or the file) its own database; `halt()`
 * and `restart()` make an outage (the data and the port kept); `stop()` kills the server by pid
 * and removes the folder. `PG_SETTINGS` (space-separated `name=value`) adds server settings,
 * for looking into a run: e.g. `shared_preload_libraries=auto_explain
 * auto_explain.log_min_duration=2 logging_collector=on log_directory=/tmp/pglog`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './net.ts';

export interface PostgresFixture {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** Creates a new empty database and answers its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Stops the server as an outage would (a fast shutdown: open transactions roll back, clients
   * are disconnected; SIGKILL after 5 s) and keeps its data and port for {@link restart}.
   */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port and data; resolves once it answers (≤ 30 s). */
  restart(): Promise<void>;
  /** Stops the server (a fast shutdown; SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

/** The folder of Debian's PostgreSQL binaries (the newest version installed), or `POSTGRES_BIN`. */
export function postgresBin(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (or set POSTGRES_BIN)');
  return join(root, versions[0], 'bin');
}

/** uid/gid of the `postgres` user when running as root; undefined otherwise (run as ourselves). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

let counter = 0;

/** Starts PostgreSQL and resolves once it accepts connections (≤ 30 s). */
export async function startPostgres(): Promise<PostgresFixture> {
  const bin = postgresBin();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'live-chat-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale'], {
    ...user,
    stdio: 'pipe',
  });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  /** Starts the postmaster on `port` over `data` and resolves once it answers a query. */
  const launch = async () => {
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300', ...(process.env.PG_SETTINGS ?? '').split(' ').filter(Boolean).flatMap((setting) => ['-c', setting])],
      { ...user, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${output}`);
      const probe = new pg.Client({ connectionString: url });
      try {
        await probe.connect();
        await probe.query('SELECT 1');
        await probe.end();
        break;
      } catch {
        await probe.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`postgres did not accept connections within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, exited };
  };
  let running: Awaited<ReturnType<typeof launch>> | null = await launch();
  /** Fast shutdown (SIGINT: roll back, disconnect clients; SIGKILL after 5 s); the folder stays. */
  const halt = async () => {
    if (!running) return;
    const { child, exited } = running;
    running = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    halt,
    async restart() {
      if (running) throw new Error('postgres is running: halt() it first');
      running = await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
