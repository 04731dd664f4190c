/**
 * `DATA_DIR` that cannot hold the database (server/config.ts `prepareDataDir`): the compiled
 * `live-chat-server` bin prints one line `live-chat-server: invalid configuration: DATA_DIR: …`
 * saying what is wrong and exits 1 within 5 s, without a stack trace — including `/proc/nope`,
 * where Node's recursive mkdir loops forever. A missing nested folder is created.
 *
 * Runs the bin (`server/bin.js` → `server/dist/cli.js`): build first with `npx tsc -b server`.
 *
 * The machine runs tests as root, for whom permission bits do not stop writes; "a folder this
 * process cannot write" is therefore `/sys` (sysfs refuses new files with EACCES even to root),
 * and the test skips that case where the probe shows /sys writable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'server', 'bin.js');

/** Runs the bin with `DATA_DIR` until it exits (killed after 10 s); output is stdout + stderr. */
function runBin(dataDir: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  // 'close', not 'exit': the output can still be in the pipes when the process has exited.
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output, ms: Date.now() - started });
    }),
  );
}

/** Whether this process can create a file in `dir` (false on sysfs, even for root). */
function writable(dir: string): boolean {
  const probe = path.join(dir, `.probe-${process.pid}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

describe('DATA_DIR that cannot hold the database', () => {
  const scratch = tempDir();
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = path.join(scratch, 'a-file');
  writeFileSync(file, 'not a folder');
  const dbFolder = path.join(scratch, 'db-is-a-folder');
  mkdirSync(path.join(dbFolder, 'live-chat.db'), { recursive: true });

  const cases: [string, string, RegExp][] = [
    ['a file', file, /DATA_DIR: \S+a-file is a file, not a folder/],
    ['a path under a file', path.join(file, 'sub'), /DATA_DIR: \S+a-file\/sub .*(ENOTDIR|is a file)/],
    ['unreachable (/proc/nope: mkdir -p loops forever there)', '/proc/nope', /DATA_DIR: \/proc\/nope cannot be created .*ENOENT/],
    ['a folder where live-chat.db is a folder', dbFolder, /DATA_DIR: \S+db-is-a-folder holds live-chat\.db, which is not a file/],
  ];
  for (const [what, dataDir, message] of cases) {
    it(`exits 1 within 5 s for ${what}`, async () => {
      const { code, output, ms } = await runBin(dataDir);
      assert.equal(code, 1, output);
      assert.ok(ms < 5000, `took ${ms} ms`);
      assert.match(output, /^live-chat-server: invalid configuration: DATA_DIR: /m);
      assert.match(output, message);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      assert.equal(output.trim().split('\n').length, 1, output);
    });
  }

  it('exits 1 within 5 s for a folder it cannot write (/sys)', async (t) => {
    if (writable('/sys')) return t.skip('/sys is writable here');
    const { code, output, ms } = await runBin('/sys');
    assert.equal(code, 1, output);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.match(output, /^live-chat-server: invalid configuration: DATA_DIR: \/sys is not writable \(EACCES/m);
    assert.doesNotMatch(output, /\n\s+at /);
  });

  it('creates a missing nested folder and starts', async () => {
    const nested = path.join(scratch, 'new', 'nested', 'data');
    const child = spawn(process.execPath, [bin], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: nested },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/"msg":"listening"/.test(output)) {
        assert.ok(child.exitCode === null && Date.now() < deadline, `did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(statSync(path.join(nested, 'live-chat.db')).isFile());
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    }
  });
});
