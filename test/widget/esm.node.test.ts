/**
 * The unbundled ESM build for bundler users (`widget/dist/esm`, `tsc -b widget/tsconfig.build.json`)
 * and the package's `exports`: `live-chat` → that ESM with its declarations, `live-chat/bundle`
 * → the one-file script-tag build, `live-chat/custom-elements.json` → the manifest. The ESM
 * must leave its dependencies to the consumer's bundler (imported from node_modules, never
 * inlined) and hold nothing of the stories and tests (fake transport, fixtures).
 * Builds what is missing first (tsc -b is incremental: quick when up to date).
 * Run: node --conditions=live-chat-source --import tsx --test test/widget/esm.node.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const widget = join(root, 'widget');
const esm = join(widget, 'dist', 'esm');
const pkg = JSON.parse(readFileSync(join(widget, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
};

/** What the ESM may import from node_modules: the widget's runtime dependencies, all of them. */
const DEPENDENCIES = ['@lit/context', 'lit', 'live-chat-protocol', 'nanostores'];

/** The package a bare specifier names (`lit/decorators.js` → `lit`, `@lit/context` → `@lit/context`). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

before(() => {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'], { cwd: widget, encoding: 'utf8' });
  assert.equal(build.status, 0, `tsc -b failed:\n${build.stdout}\n${build.stderr}`);
  if (!existsSync(join(widget, 'dist', 'live-chat.js'))) {
    const vite = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: widget, encoding: 'utf8' });
    assert.equal(vite.status, 0, `vite build failed:\n${vite.stdout}\n${vite.stderr}`);
  }
});

test('exports: "." is the ESM with types, "./bundle" the one-file build, and the manifest', () => {
  assert.deepEqual(pkg.exports['.'], { types: './dist/esm/live-chat.d.ts', default: './dist/esm/live-chat.js' });
  assert.equal(pkg.exports['./bundle'], './dist/live-chat.js');
  assert.deepEqual(pkg.exports['./host-tools'], { types: './dist/esm/host-tools/host-tools.d.ts', default: './dist/esm/host-tools/host-tools.js' });
  assert.equal(pkg.exports['./custom-elements.json'], './custom-elements.json');
  // As a consumer resolves them (the workspace links node_modules/live-chat to widget/).
  const require = createRequire(join(root, 'package.json'));
  assert.equal(require.resolve('live-chat'), join(esm, 'live-chat.js'));
  assert.equal(require.resolve('live-chat/bundle'), join(widget, 'dist', 'live-chat.js'));
  assert.equal(require.resolve('live-chat/custom-elements.json'), join(widget, 'custom-elements.json'));
  for (const file of ['live-chat.js', 'live-chat.d.ts']) assert.ok(existsSync(join(esm, file)), `dist/esm/${file} is built`);
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), DEPENDENCIES, 'the runtime dependencies');
});

test('the ESM imports lit, @lit/context, nanostores and live-chat-protocol from node_modules', async () => {
  // esbuild walks the graph from the entry with every package left external: what it reads
  // are our modules, what it leaves out are the bare imports a consumer's bundler resolves.
  const { build } = await import('esbuild');
  const { metafile } = await build({
    entryPoints: [join(esm, 'live-chat.js')],
    bundle: true,
    packages: 'external',
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const inputs = Object.keys(metafile.inputs);
  const outside = inputs.filter((i) => !i.startsWith('widget/dist/esm/'));
  assert.deepEqual(outside, [], 'every module read is part of dist/esm (nothing inlined from node_modules or the sources)');
  const external = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.filter((x) => x.external).map((x) => packageOf(x.path))));
  assert.deepEqual([...external].sort(), DEPENDENCIES);
  // Each of them is installed in node_modules (live-chat-protocol as a workspace link).
  for (const name of DEPENDENCIES) assert.ok(existsSync(join(root, 'node_modules', name, 'package.json')), `node_modules/${name}`);
});

test('the ESM holds no fake transport, fixtures or stories', () => {
  const files = readdirSync(esm, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  assert.ok(files.length > 20, `${files.length} files in dist/esm`);
  for (const file of files) {
    const name = relative(esm, file);
    assert.doesNotMatch(name, /fake|fixture|stor(y|ies)|test/i, `dist/esm/${name}`);
    const text = readFileSync(file, 'utf8');
    // Code, not words: the docs may mention the FakeTransport that stories use.
    for (const leak of ['class FakeTransport', 'fake-transport', 'test/support', 'fixtures.', 'Maximiliana']) {
      assert.ok(!text.includes(leak), `dist/esm/${name} contains "${leak}"`);
    }
    if (name.endsWith('.js')) assert.doesNotMatch(text, /from ['"][^'"]+\.ts['"]/, `dist/esm/${name} imports a .ts file`);
  }
});
