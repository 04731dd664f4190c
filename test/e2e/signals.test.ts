/**
 * Stopping the server the ways operators do (issue 7, "Compiled server"): `node server/bin.js`
 * on SIGTERM with sends in flight, and Ctrl-C (SIGINT to the whole process group) of
 * `npm start` and `npx live-chat-server`. Each must log `shutting down` then `stopped`, exit 0
 * within 10 s and free its port; every send is answered (ok or refused) and every ok-acked
 * message is in the ledger when the server comes back on the same DATA_DIR.
 *
 * The bin runs the compiled server (server/dist), so `npm run build` must have run (scripts/test.js
 * builds before every suite).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { Message } from 'live-chat-protocol';
import { eventually, freePort, repoRoot } from '../helpers/processes.ts';

const STOP_WITHIN_MS = 10_000;

interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];

/** Spawns `command args` in a process group of its own, waits for `/health` (≤ 60 s). */
async function start(command: string, args: string[], dataDir: string): Promise<Started> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    // 'close', not 'exit': the output can still be in the pipes when the process has exited.
    child.once('close', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    assert.equal(child.exitCode, null, `exited early:\n${output}`);
    const res = await fetch(`${url}/health`);
    assert.equal(res.status, 200);
  }, 60_000);
  return { child, url, output: () => output, exited };
}

/** Sends `signal` to the whole process group (what Ctrl-C in a terminal does). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  process.kill(-child.pid!, signal);
}

/** True while a process (or, with a negative pid, a process group) exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asserts a clean stop within 10 s: `shutting down` then `stopped` logged by the server, the
 * port closed, and the server's own process (its pid from the `listening` line) gone. When
 * `wrapped` (npm, npx), the wrapper may end by re-raising the SIGINT it got, as shells expect
 * of Ctrl-C; the node server itself must have exited on its own, and the group be empty.
 */
async function assertStopsCleanly(server: Started, sentAtMs: number, wrapped = false): Promise<void> {
  const { code, signal, atMs } = await server.exited;
  const out = server.output();
  if (wrapped) assert.ok(code === 0 || signal === 'SIGINT', `wrapper ended with ${code ?? signal}:\n${out}`);
  else {
    assert.equal(signal, null, `killed by ${signal}:\n${out}`);
    assert.equal(code, 0, `exit code ${code}:\n${out}`);
  }
  const shuttingDown = out.indexOf('"msg":"shutting down"');
  const stopped = out.indexOf('"msg":"stopped"');
  assert.ok(shuttingDown >= 0 && stopped > shuttingDown, `expected "shutting down" then "stopped" in:\n${out}`);
  const serverPid = Number(/"pid":(\d+)[^\n]*"msg":"listening"/.exec(out)?.[1]);
  assert.ok(serverPid > 0, `no listening line with a pid in:\n${out}`);
  await eventually(() => assert.ok(!alive(serverPid) && !alive(-server.child.pid!), 'the server or its group is still running'), STOP_WITHIN_MS);
  assert.ok(Date.now() - sentAtMs < STOP_WITHIN_MS, `took ${Date.now() - sentAtMs} ms to stop`);
  assert.ok(atMs - sentAtMs < STOP_WITHIN_MS);
  await assert.rejects(fetch(`${server.url}/health`), 'the port still answers');
}

function tempData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lc-signals-'));
  dirs.push(dir);
  return dir;
}

async function devToken(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { token: string }).token;
}

before(() => {
  assert.ok(existsSync(join(repoRoot, 'server', 'dist', 'cli.js')), 'server/dist is missing: run `npm run build` first');
});

after(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('stopping the server', { timeout: 120_000 }, () => {
  it('node server/bin.js: SIGTERM with sends in flight answers every send and keeps every acked message', async () => {
    const dataDir = tempData();
    const server = await start(process.execPath, [join(repoRoot, 'server', 'bin.js')], dataDir);
    const token = await devToken(server.url, 'Drain');
    const socket: Socket = io(server.url, { transports: ['websocket'], auth: { token }, reconnection: false });
    const joined = await socket.timeout(10_000).emitWithAck('room:join', { roomId: 'lobby' });
    assert.equal(joined.ok, true);

    // 40 sends at once (the rate limit refuses most: refusals count as answers too), then SIGTERM
    // while they are being handled.
    const answers = Array.from({ length: 40 }, (_, i) =>
      socket
        .timeout(STOP_WITHIN_MS)
        .emitWithAck('message:send', { roomId: 'lobby', clientId: `drain-${i}-${Date.now()}`, text: `in flight ${i}` })
        .then(
          (ack: { ok: boolean; message?: Message }) => ack,
          (err: Error) => ({ ok: false as const, lost: err.message }),
        ),
    );
    const sentAt = Date.now();
    process.kill(server.child.pid!, 'SIGTERM');
    const acks = await Promise.all(answers);
    socket.close();
    await assertStopsCleanly(server, sentAt);

    // Every send reached the server before the signal was handled, so every one is answered:
    // stored and acked, or refused (rate limit, or "shutting down"); none is left hanging.
    const lost = acks.filter((a) => 'lost' in a);
    assert.deepEqual(lost, [], 'sends left without an answer');
    const acked = acks.filter((a): a is { ok: true; message: Message } => a.ok === true);
    assert.ok(acked.length > 0, 'no send was acked before the stop');

    const again = await start(process.execPath, [join(repoRoot, 'server', 'bin.js')], dataDir);
    const res = await fetch(`${again.url}/api/rooms/lobby/messages?limit=200`);
    assert.equal(res.status, 200);
    const stored = ((await res.json()) as { messages: Message[] }).messages;
    for (const a of acked) {
      assert.ok(stored.some((m) => m.id === a.message.id && m.text === a.message.text), `acked message ${a.message.seq} is missing after restart`);
    }
    const seqs = stored.map((m) => m.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), 'seqs are unique and ordered');
    const sentAgain = Date.now();
    process.kill(again.child.pid!, 'SIGTERM');
    await assertStopsCleanly(again, sentAgain);
  });

  it('npm start: Ctrl-C (SIGINT to the process group) stops it cleanly', async () => {
    const server = await start('npm', ['start', '--silent'], tempData());
    const sentAt = Date.now();
    signalGroup(server.child, 'SIGINT');
    await assertStopsCleanly(server, sentAt, true);
  });

  it('npx live-chat-server: Ctrl-C (SIGINT to the process group) stops it cleanly', async () => {
    const server = await start('npx', ['--no-install', 'live-chat-server'], tempData());
    const sentAt = Date.now();
    signalGroup(server.child, 'SIGINT');
    await assertStopsCleanly(server, sentAt, true);
  });
});
