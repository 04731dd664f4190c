#!/usr/bin/env node
/**
 * `npm start`: build the widget bundle when it is missing or older than its sources, then run
 * the reference server (`server/cli.ts`) in this process's place, forwarding SIGTERM/SIGINT.
 *
 * Env is passed through untouched; see docs/server.md for every variable and its default.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'live-chat.js');

/** Newest modification time (ms) of any file below `dir`, or 0 when it does not exist. */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sourcesMtime = Math.max(newestMtime(join(root, 'widget')), statSync(join(root, 'vite.config.ts')).mtimeMs);
if (!existsSync(bundle) || statSync(bundle).mtimeMs < sourcesMtime) {
  console.log('live-chat: building the widget bundle (dist/live-chat.js)…');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('live-chat: the widget build failed; see the output above.');
    process.exit(build.status ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'cli.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
