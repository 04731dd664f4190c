/**
 * The widget as a site owner installs it from npm (issue 7, "Done when"): `npm pack` of
 * `live-chat` and `live-chat-protocol`, installed into an empty project, brings no server
 * package (express, better-sqlite3, ioredis, pino, tsx, socket.io's server, zod), its types
 * check under `tsc --strict`, and the ESM entry imports Lit from the project's node_modules
 * instead of carrying a copy.
 *
 * Needs `npm run build` first (scripts/test.js builds before every suite) and the npm registry
 * (or npm's cache, filled by `npm ci`) for lit, @lit/context and nanostores (the widget speaks
 * Socket.IO itself: socket.io-client is not a dependency).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../helpers/processes.ts';

const SERVER_ONLY = ['express', 'better-sqlite3', 'ioredis', 'pino', 'tsx', 'socket.io', 'zod', 'live-chat-server', '@socket.io/redis-adapter', 'socket.io-client'];

let work: string;
let consumer: string;

function run(cmd: string, args: string[], cwd: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  assert.equal(result.status, 0, `${cmd} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Every package folder under node_modules (scoped ones as `@scope/name`). */
function installed(modules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of readdirSync(join(modules, entry))) names.push(`${entry}/${sub}`);
    else names.push(entry);
  }
  return names;
}

before(() => {
  assert.ok(existsSync(join(repoRoot, 'widget', 'dist', 'esm', 'live-chat.js')), 'widget/dist is missing: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'lc-pack-'));
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, '-w', 'live-chat-protocol', '-w', 'live-chat'], repoRoot),
  ) as { filename: string; files: { path: string }[] }[];
  for (const p of packed) {
    const paths = p.files.map((f) => f.path);
    assert.ok(!paths.some((f) => /(^|\/)(test|stories|node_modules)\/|fake-transport|fixtures|\.tsbuildinfo$/.test(f)), `${p.filename} ships test or build files: ${paths.join(', ')}`);
  }
  consumer = join(work, 'site');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'site', version: '1.0.0', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-package-lock', ...packed.map((p) => join(work, p.filename))], consumer);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('installs with no server package in node_modules', () => {
  const names = installed(join(consumer, 'node_modules'));
  for (const name of SERVER_ONLY) assert.ok(!names.includes(name), `${name} was installed with the widget`);
  for (const name of ['live-chat', 'live-chat-protocol', 'lit', '@lit/context', 'nanostores']) {
    assert.ok(names.includes(name), `${name} is missing`);
  }
});

test('the ESM entry imports Lit and the protocol from node_modules; ./bundle is the one-file build', () => {
  const pkg = join(consumer, 'node_modules', 'live-chat');
  const entry = readFileSync(join(pkg, 'dist', 'esm', 'live-chat.js'), 'utf8');
  assert.match(entry, /from ['"]lit['"]/);
  const bundle = readFileSync(join(pkg, 'dist', 'live-chat.js'), 'utf8');
  assert.doesNotMatch(bundle, /^\s*import\s/m, 'the bundle imports another module');
  const exports = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  assert.equal(exports['./bundle'], './dist/live-chat.js');
});

test('its types check in a strict TypeScript project', () => {
  writeFileSync(
    join(consumer, 'main.ts'),
    `import 'live-chat';
import type { Message } from 'live-chat-protocol';
import { levelForXp } from 'live-chat-protocol';

const chat = document.createElement('live-chat');
chat.server = 'https://chat.example.com';
chat.room = 'lobby';
chat.addEventListener('lc-level-up', (e) => console.log(e.detail.level + levelForXp(100)));
chat.addEventListener('lc-message', (e) => {
  const m: Message = e.detail.message;
  console.log(m.seq);
});
// @ts-expect-error room is a string
chat.room = 42;
`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], skipLibCheck: false, types: [] },
      files: ['main.ts'],
    }),
  );
  run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
});
