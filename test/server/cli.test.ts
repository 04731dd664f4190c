/**
 * The `live-chat-server` process (server/cli.ts): an acknowledged message, its award, the
 * daily XP cap, the coin cooldown and the session leaderboard survive `kill -9`, SIGTERM stops
 * cleanly with exit 0, and a bad setting exits 1 naming the variable.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { io as connectClient } from 'socket.io-client';
import type { JoinAck, LeaderboardEntry, Message, Reward } from 'live-chat-protocol';
import { tempDir } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'server', 'bin.js');

interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Proc['exited'] } {
  const child = spawn(process.execPath, [cli], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // 'close', not 'exit': the output can still be in the pipes when the process has exited.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Starts the CLI and waits for its `listening` log line (≤ 30 s). */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<Proc> {
  const p = run({ ...env, DATA_DIR: dataDir });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = p
      .output()
      .split('\n')
      .map((l) => {
        try {
          return JSON.parse(l) as { msg?: string; url?: string };
        } catch {
          return null;
        }
      })
      .find((l) => l?.msg === 'listening');
    if (line?.url) return { ...p, url: line.url.replace('localhost', '127.0.0.1') };
    if (p.child.exitCode !== null || Date.now() > deadline) {
      p.child.kill('SIGKILL');
      throw new Error(`server did not start:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live-chat-server process', { concurrency: true }, () => {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  after(() => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps an acknowledged message, the cap, the cooldown and the board through kill -9, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    // A cap of 2 XP a day: one message before the crash, two after it (the second is capped).
    const env = { DAILY_XP_CAP: '2' };
    const first = await start(dataDir, env);
    procs.push(first.child);
    const { token } = (await (
      await fetch(`${first.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Crash Carl' }),
      })
    ).json()) as { token: string };
    const socket = connectClient(first.url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    const join = (await socket.timeout(5000).emitWithAck('room:join', { roomId: 'lobby' })) as { ok: boolean };
    assert.equal(join.ok, true);
    const ack = (await socket
      .timeout(5000)
      .emitWithAck('message:send', { roomId: 'lobby', clientId: crypto.randomUUID(), text: 'written before the crash' })) as {
      ok: boolean;
      message: Message;
    };
    assert.equal(ack.ok, true);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    socket.disconnect();

    const second = await start(dataDir, env);
    procs.push(second.child);
    const res = await fetch(`${second.url}/api/rooms/lobby/messages`);
    const { messages } = (await res.json()) as { messages: Message[] };
    assert.deepEqual(
      messages.map((m) => [m.id, m.seq, m.text]),
      [[ack.message.id, ack.message.seq, 'written before the crash']],
    );
    const xp = (await (await fetch(`${second.url}/api/users/dev-crash-carl/xp`)).json()) as { totalXp: number; coinBalance: number };
    assert.equal(xp.totalXp, 1);
    assert.equal(xp.coinBalance, 1);

    // The economy reads the ledger, not what the killed process held in memory.
    const again = connectClient(second.url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    try {
      const carl = { rank: 1, userId: 'dev-crash-carl', name: 'Crash Carl', avatarUrl: null, coins: 1 };
      const rejoin = (await again.timeout(5000).emitWithAck('room:join', { roomId: 'lobby' })) as { ok: true } & JoinAck;
      assert.equal(rejoin.ok, true);
      assert.deepEqual(rejoin.leaderboard, [{ ...carl, messages: 1 }] satisfies LeaderboardEntry[]);
      assert.equal(rejoin.me.progress?.dailyXp, 1);
      assert.notEqual(rejoin.me.progress?.nextCoinAt, null, 'the cooldown still runs');
      const sendAfter = async (text: string) => {
        const answer = (await again
          .timeout(5000)
          .emitWithAck('message:send', { roomId: 'lobby', clientId: crypto.randomUUID(), text })) as { ok: boolean; reward: Reward };
        assert.equal(answer.ok, true, JSON.stringify(answer));
        return answer.reward;
      };
      const cooled = await sendAfter('after the crash');
      assert.deepEqual(
        [cooled.xp, cooled.coins, cooled.coinReason, cooled.dailyXp, cooled.totalXp, cooled.sessionCoins],
        [1, 0, 'rate_limited', 2, 2, 1],
      );
      const capped = await sendAfter('over the cap');
      assert.deepEqual([capped.xp, capped.coins, capped.coinReason, capped.dailyXp, capped.totalXp], [0, 0, 'cap_reached', 2, 2]);
      const board = (await (await fetch(`${second.url}/api/rooms/lobby/leaderboard`)).json()) as { entries: LeaderboardEntry[] };
      assert.deepEqual(board.entries, [{ ...carl, messages: 3 }]);
    } finally {
      again.disconnect();
    }

    second.child.kill('SIGTERM');
    const exit = await second.exited;
    assert.equal(exit.code, 0, second.output());
    assert.match(second.output(), /"msg":"stopped"/);
  });

  const ipv6 = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));
  it('logs a URL that works for an IPv6 host: http://[::1]:port', { skip: !ipv6 && 'no IPv6 loopback here' }, async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const p = await start(dataDir, { HOST: '::1' });
    procs.push(p.child);
    assert.match(p.url, /^http:\/\/\[::1\]:\d+$/);
    assert.equal((await fetch(`${p.url}/health`)).status, 200);
    p.child.kill('SIGTERM');
    assert.equal((await p.exited).code, 0);
  });

  it('exits 1 naming the variable when a setting is bad', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const [port, prod] = [run({ DATA_DIR: dataDir, PORT: 'eighty' }), run({ DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: '' })];
    assert.equal((await port.exited).code, 1);
    assert.match(port.output(), /invalid configuration: PORT: expected a whole number/);
    assert.equal((await prod.exited).code, 1);
    assert.match(prod.output(), /invalid configuration: JWT_SECRET: required when NODE_ENV=production/);
  });
});
