#!/usr/bin/env node
/**
 * `npm test [suite…]`: runs every suite (server, widget, storybook, docs, e2e) one after another,
 * streams their output, and ends with one line `N passed, N failed` counting all of them.
 *
 * Suites: server  node:test over test/server/**\/*.test.ts (real server, real SQLite, real Redis)
 *         widget  @web/test-runner in Chromium over test/widget/**, plus node:test bundle checks
 *         storybook  builds Storybook and opens every story in Chromium (axe-core)
 *         docs    node:test: docs/protocol.md complete, links inside the repo, deploy/ files run as written
 *         e2e     node:test + playwright-core against `npm start` in Debian's Chromium; signals; npm pack
 * Exit code: 0 only when every suite ran, exited 0 and reported no failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITE_TIMEOUT_MS = 12 * 60 * 1000;

/** Files below `dir` (relative to the repo root) whose name matches `pattern`, sorted. */
function findFiles(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) out.push(relative(root, join(entry.parentPath ?? entry.path, entry.name)));
  }
  return out.sort();
}

/** Counts from node:test's spec reporter summary (`ℹ pass N`, `ℹ fail N`). */
function nodeTestCounts(output) {
  const pass = [...output.matchAll(/^ℹ pass (\d+)$/gm)].at(-1);
  const fail = [...output.matchAll(/^ℹ fail (\d+)$/gm)].at(-1);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : null;
}

/** Counts from @web/test-runner's summary (`… | N passed, N failed`). */
function wtrCounts(output) {
  const m = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null;
}

const node = process.execPath;
const nodeTest = (files) => [node, ['--conditions=live-chat-source', '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], nodeTestCounts];

const suites = {
  server: () => {
    const files = findFiles('test/server', /\.test\.ts$/);
    return files.length ? [nodeTest(files)] : [];
  },
  widget: () => {
    const runs = [];
    if (findFiles('test/widget', /\.test\.ts$/).some((f) => !f.endsWith('.node.test.ts'))) {
      runs.push([node, [join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--static-logging'], wtrCounts]);
    }
    const nodeFiles = findFiles('test/widget', /\.node\.test\.ts$/);
    if (nodeFiles.length) runs.push(nodeTest(nodeFiles));
    return runs;
  },
  storybook: () => {
    const files = findFiles('test/storybook', /\.test\.ts$/);
    return files.length ? [nodeTest(files)] : [];
  },
  docs: () => {
    const files = findFiles('test/docs', /\.test\.ts$/);
    return files.length ? [nodeTest(files)] : [];
  },
  e2e: () => {
    const files = findFiles('test/e2e', /\.test\.ts$/);
    return files.length ? [nodeTest(files)] : [];
  },
};

/** Runs one command, echoing its output, and resolves with its exit code and output. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      output += `\n[test] timed out after ${SUITE_TIMEOUT_MS / 1000} s\n`;
      child.kill('SIGKILL');
    }, SUITE_TIMEOUT_MS);
    child.stdout.on('data', (d) => { process.stdout.write(d); output += d; });
    child.stderr.on('data', (d) => { process.stderr.write(d); output += d; });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, output }); });
  });
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(suites);
for (const name of names) if (!suites[name]) { console.error(`unknown suite "${name}"; known: ${Object.keys(suites).join(', ')}`); process.exit(2); }

// Every suite runs what ships: the compiled server (server/bin.js → server/dist) and the
// widget bundle (widget/dist) that the budget test, Storybook's manifest and the e2e pages load.
{
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) { console.error('[test] npm run build failed'); console.log('0 passed, 1 failed'); process.exit(1); }
}

let passed = 0;
let failed = 0;
const lines = [];
for (const name of names) {
  const runs = suites[name]();
  if (!runs.length) { lines.push(`${name}: no tests`); continue; }
  for (const [cmd, args, parse] of runs) {
    console.log(`\n[test] ── ${name}: ${relative(root, args.find((a) => a.endsWith('.js') && a.includes('bin')) ?? 'node --test')} ──`);
    const { code, output } = await run(cmd, args);
    const counts = parse(output);
    if (!counts) { failed += 1; lines.push(`${name}: exited ${code} with no test count (counted as 1 failure)`); continue; }
    passed += counts.passed;
    failed += counts.failed;
    if (code !== 0 && counts.failed === 0) { failed += 1; lines.push(`${name}: ${counts.passed} passed, exited ${code} (counted as 1 failure)`); }
    else lines.push(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
  }
}
console.log('\n[test] summary');
for (const line of lines) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
