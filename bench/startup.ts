/**
 * Cold start to the first `GET /health` 200, in ms: the compiled server (`node server/bin.js`,
 * as operators run it, a fresh SQLite folder each time) against the bare baseline
 * (bench/baseline-server.js), alternating, `rounds` times each; medians and their ratio.
 * Needs `npm run build` first. Loopback only, bounded: each start gives up after 30 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '../test/helpers/processes.ts';

/** ms from spawn to the first 200 on /health; the process is stopped afterwards. */
async function timeToHealth(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  try {
    for (;;) {
      if (performance.now() - t0 > 30_000) throw new Error(`${args.join(' ')} did not answer /health within 30 s`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return performance.now() - t0;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians (ms) of both and the ratio server / baseline. */
export async function measureStartup(rounds = 5): Promise<{ serverMs: number; baselineMs: number; ratio: number }> {
  const server: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'lc-startup-'));
    try {
      server.push(await timeToHealth([join(repoRoot, 'server', 'bin.js')], { DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development' }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    baseline.push(await timeToHealth([join(repoRoot, 'bench', 'baseline-server.js')], {}));
  }
  const serverMs = median(server);
  const baselineMs = median(baseline);
  return { serverMs, baselineMs, ratio: serverMs / baselineMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureStartup(Number(process.env.BENCH_ROUNDS ?? 5));
  console.log(`cold start to /health: server ${r.serverMs.toFixed(0)} ms, bare Socket.IO ${r.baselineMs.toFixed(0)} ms (${r.ratio.toFixed(2)}×)`);
}
