#!/usr/bin/env node
/**
 * `npm start`: builds what is missing or stale (live-chat-protocol and live-chat-server with
 * `tsc -b`, which skips what is up to date; the widget bundle with `vite build` when older than
 * its sources), then runs the compiled server in this very process, so a SIGTERM or SIGINT sent
 * to this pid (or Ctrl-C to the process group) reaches the server itself (server/cli.ts:
 * `shutting down`, `stopped`, exit 0).
 *
 * Env is passed through untouched; docs/server.md lists every variable and its default.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

/** Newest modification time (ms) of any file below `dir`, `dist` and `node_modules` left out. */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs a build step; exits with its status when it fails. */
function step(what, args, cwd = root) {
  const run = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`live-chat: ${what} failed; see the output above.`);
    process.exit(run.status ?? 1);
  }
}

const bundle = join(root, 'widget', 'dist', 'live-chat.js');
const widgetSources = Math.max(newestMtime(join(root, 'widget')), newestMtime(join(root, 'protocol')));
if (!existsSync(bundle) || statSync(bundle).mtimeMs < widgetSources) {
  console.log('live-chat: building the widget bundle (widget/dist/live-chat.js)…');
  step('the widget build', [bin('vite', 'bin/vite.js'), 'build'], join(root, 'widget'));
}
step('the server build (tsc -b server)', [bin('typescript', 'bin/tsc'), '-b', 'server']);

await import(pathToFileURL(join(root, 'server', 'dist', 'cli.js')).href);
