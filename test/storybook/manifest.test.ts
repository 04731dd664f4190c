/**
 * `custom-elements.json` (committed, exported by the package, read by Storybook's autodocs) must
 * match the widget's JSDoc: the analyzer is run again into a temp dir with the repo's config
 * and the result compared with the committed file. Then the manifest must describe what
 * the widget brief promises: `<live-chat>` and every `lc-*` element, with their attributes,
 * events, parts and `--lc-*` custom properties, each with a description.
 *
 * Fix a failure with `npm run analyze` (after making sure the JSDoc says what you mean).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.ts';

interface Described {
  name: string;
  description?: string;
  summary?: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  attributes?: Described[];
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: (Described & { default?: string })[];
  members?: (Described & { kind: string; privacy?: string; static?: boolean })[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[]; exports?: unknown[] }[];
}

const committedPath = join(ROOT, 'widget', 'custom-elements.json');
const committed = JSON.parse(readFileSync(committedPath, 'utf8')) as Manifest;
const elements = committed.modules
  .flatMap((m) => m.declarations ?? [])
  .filter((d): d is Declaration & { tagName: string } => Boolean(d.customElement && d.tagName));
const byTag = new Map(elements.map((el) => [el.tagName, el]));

/** The tags the widget brief names (docs/widget.md); each must be in the manifest. Messages are rows of `lc-message-list`, not an element each (issue 10, item 9). */
const EXPECTED_TAGS = ['live-chat', 'lc-header', 'lc-message-list', 'lc-composer', 'lc-leaderboard', 'lc-toast', 'lc-banner'];

/** Parts STYLE.md and the end-to-end tests select from the page through `live-chat::part(…)`. */
const ROOT_PARTS = [
  'header', 'title', 'viewer-count', 'like-count', 'message-list', 'message', 'author', 'message-text',
  'badge-host', 'badge-winner', 'badge-moderator', 'coin', 'like-button', 'composer', 'input',
  'send-button', 'heart-button', 'char-counter', 'composer-status', 'banner', 'leaderboard',
  'leaderboard-row', 'toast', 'xp',
];

/** Events STYLE.md rule 4 names; `<live-chat>` documents them with `@fires`. */
const ROOT_EVENTS = ['lc-send', 'lc-message', 'lc-like', 'lc-error', 'lc-connection-change', 'lc-reward', 'lc-level-up'];

/** Custom properties STYLE.md rule 5 names as examples of the design tokens. */
const ROOT_CSS_PROPERTIES = ['--lc-color-accent', '--lc-font', '--lc-radius', '--lc-badge-winner-color'];

test('custom-elements.json is what the analyzer makes from the current widget sources', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'lc-cem-'));
  const widget = join(ROOT, 'widget');
  try {
    // As `npm run analyze` runs it: in widget/, so module paths are relative to the package.
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js'),
        'analyze', '--litelement', '--quiet',
        '--config', '../custom-elements-manifest.config.mjs',
        '--outdir', relative(widget, outDir),
      ],
      { cwd: widget, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, `the analyzer failed:\n${run.stdout}\n${run.stderr}`);
    const fresh = JSON.parse(readFileSync(join(outDir, 'custom-elements.json'), 'utf8')) as Manifest;
    const byPath = (m: Manifest) => new Map(m.modules.map((mod) => [mod.path, JSON.stringify(mod)]));
    const [was, now] = [byPath(committed), byPath(fresh)];
    const stale = [...new Set([...was.keys(), ...now.keys()])].filter((path) => was.get(path) !== now.get(path));
    assert.deepEqual(stale, [], 'custom-elements.json is stale for the modules listed: run `npm run analyze` and commit the result');
    assert.equal(JSON.stringify(committed), JSON.stringify(fresh), 'custom-elements.json is stale: run `npm run analyze`');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('module paths are relative to the live-chat package, and only shipped sources are in it', () => {
  const paths = committed.modules.map((m) => m.path);
  assert.ok(paths.includes('live-chat.ts'), `paths: ${paths.slice(0, 5).join(', ')}`);
  const foreign = paths.filter((p) => p.startsWith('widget/') || p.startsWith('dist/') || p.startsWith('..') || /\.(test|styles)\.ts$|fake|fixture/.test(p));
  assert.deepEqual(foreign, []);
});

test('the manifest declares <live-chat> and every lc-* element', () => {
  const missing = EXPECTED_TAGS.filter((tag) => !byTag.has(tag));
  assert.deepEqual(missing, [], `elements missing from custom-elements.json: ${missing.join(', ')}`);
  for (const el of elements) {
    assert.ok(el.tagName === 'live-chat' || el.tagName.startsWith('lc-'), `unexpected tag <${el.tagName}> (prefix inner elements with lc-)`);
    assert.ok(el.summary || el.description, `<${el.tagName}> has no @summary or description`);
  }
});

test('<live-chat> documents its attributes, events, parts and --lc-* custom properties', () => {
  const root = byTag.get('live-chat');
  assert.ok(root, '<live-chat> is not in custom-elements.json');
  const names = (list: Described[] | undefined) => new Set((list ?? []).map((x) => x.name));
  const attributes = names(root.attributes);
  for (const attr of ['server', 'room', 'token', 'theme', 'lang', 'hide-leaderboard']) {
    assert.ok(attributes.has(attr), `<live-chat> attribute "${attr}" is not documented`);
  }
  const events = names(root.events);
  const absentEvents = ROOT_EVENTS.filter((e) => !events.has(e));
  assert.deepEqual(absentEvents, [], `<live-chat> events not documented with @fires: ${absentEvents.join(', ')}`);
  const parts = names(root.cssParts);
  const absentParts = ROOT_PARTS.filter((p) => !parts.has(p));
  assert.deepEqual(absentParts, [], `<live-chat> parts not documented with @csspart: ${absentParts.join(', ')}`);
  const props = names(root.cssProperties);
  const absentProps = ROOT_CSS_PROPERTIES.filter((p) => !props.has(p));
  assert.deepEqual(absentProps, [], `<live-chat> custom properties not documented with @cssproperty: ${absentProps.join(', ')}`);
});

test('every documented attribute, event, part and custom property has a description', () => {
  const undescribed: string[] = [];
  for (const el of elements) {
    const lists: [string, Described[] | undefined][] = [
      ['attribute', el.attributes],
      ['event', el.events],
      ['part', el.cssParts],
      ['custom property', el.cssProperties],
    ];
    for (const [kind, list] of lists) {
      for (const item of list ?? []) {
        if (!(item.description ?? item.summary ?? '').trim()) undescribed.push(`<${el.tagName}> ${kind} ${item.name}`);
      }
    }
    for (const prop of el.cssProperties ?? []) {
      if (!prop.name.startsWith('--lc-')) undescribed.push(`<${el.tagName}> custom property ${prop.name} is not prefixed --lc-`);
    }
  }
  assert.deepEqual(undescribed, [], `undocumented API:\n${undescribed.join('\n')}`);
});
