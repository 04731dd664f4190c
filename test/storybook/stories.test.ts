/**
 * The Storybook suite (issue 4, "Storybook"): builds the static Storybook, serves it on a free
 * port, and opens EVERY story of `index.json` in Debian's Chromium. A story passes when it
 * renders, logs no console error, throws no page error, fails no request, and axe-core finds
 * no violation of impact "serious" or "critical" in it. Each element's autodocs page must show
 * every attribute, event, slot, `--lc-*` custom property and `part` of `custom-elements.json`.
 *
 * Run: `node --import tsx --test test/storybook/stories.test.ts` (or `npm test storybook`).
 * Environment: `STORYBOOK_STATIC_DIR=storybook-static` tests an existing build instead of
 * building one; `STORYBOOK_TEST_PAGES=3` opens more stories at once (default 2, for 2 cores);
 * `STORYBOOK_TEST_TIMING=1` logs how long each story took to load, render, settle and audit;
 * `CHROMIUM_PATH` points at another Chromium.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ROOT,
  buildStorybook,
  PagePool,
  describeProblems,
  launchChromium,
  serveStatic,
  type IndexEntry,
  type StaticServer,
} from './harness.ts';
import { REQUIRED_STORIES } from './required-stories.ts';

/** The tag of a story whose element is misconfigured on purpose and must log that once. */
const SETUP_ERROR_TAG = 'logs-setup-error';

/** Pages open at once (one browser): this machine has two cores. */
const PAGES_IN_PARALLEL = Number(process.env.STORYBOOK_TEST_PAGES ?? 2);

interface ManifestDeclaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string }[];
  events?: { name: string }[];
  slots?: { name: string }[];
  cssProperties?: { name: string }[];
  cssParts?: { name: string }[];
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'widget', 'custom-elements.json'), 'utf8')) as {
  modules: { path: string; declarations?: ManifestDeclaration[] }[];
};
const elements = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .filter((d): d is ManifestDeclaration & { tagName: string } => Boolean(d.customElement && d.tagName));

let outDir = '';
let builtHere = false;
let server: StaticServer;
let browser: Browser;
let pool: PagePool;
let entries: IndexEntry[] = [];

before(async () => {
  const given = process.env.STORYBOOK_STATIC_DIR;
  if (given) {
    outDir = isAbsolute(given) ? given : join(ROOT, given);
  } else {
    outDir = mkdtempSync(join(tmpdir(), 'lc-storybook-'));
    builtHere = true;
    await buildStorybook(outDir);
  }
  const index = JSON.parse(readFileSync(join(outDir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
  entries = Object.values(index.entries);
  server = await serveStatic(outDir);
  browser = await launchChromium();
  pool = await PagePool.open(browser, server.url, PAGES_IN_PARALLEL);
});

after(async () => {
  await pool?.close();
  await browser?.close();
  await server?.close();
  if (builtHere) rmSync(outDir, { recursive: true, force: true });
});

describe('storybook', () => {
  test('the index holds a story for every element and every state a designer signs off', () => {
    const stories = entries.filter((e) => e.type === 'story');
    assert.ok(stories.length > 0, 'index.json lists no story at all');
    const ids = new Set(stories.map((s) => s.id));
    const missing = REQUIRED_STORIES.filter((r) => !ids.has(r.id)).map((r) => `${r.id} (${r.state})`);
    assert.deepEqual(missing, [], `stories missing from the build:\n${missing.join('\n')}`);
    const titles = new Set(stories.map((s) => s.title));
    const withoutStories = elements.filter((el) => ![...titles].some((t) => t.split('/').includes(el.tagName)));
    assert.deepEqual(
      withoutStories.map((el) => el.tagName),
      [],
      'every element of custom-elements.json needs a story file whose title names its tag',
    );
  });

  test('every story renders with no console error and no serious or critical axe violation', { concurrency: PAGES_IN_PARALLEL }, async (t) => {
    const stories = entries.filter((e) => e.type === 'story');
    assert.ok(stories.length > 0, 'no story to open');
    await Promise.all(
      stories.map((story) =>
        t.test(story.id, async () => {
          const check = await pool.check(story.id, 'story');
          if (story.tags?.includes(SETUP_ERROR_TAG)) {
            // This story shows a misconfigured element, which must say so in the console.
            const setupErrors = check.errors.filter((e) => e.startsWith('console.error: live-chat: set the server attribute'));
            assert.equal(setupErrors.length, 1, `story ${story.id} should log the setup error once; it logged:\n${check.errors.join('\n')}`);
            check.errors = check.errors.filter((e) => !setupErrors.includes(e));
          }
          const problems = describeProblems(check);
          assert.equal(problems, '', `story ${story.id} (${story.title} / ${story.name}):\n${problems}`);
        }),
      ),
    );
  });

  test("every element's Docs page shows its attributes, events, slots, parts and custom properties", { concurrency: 2 }, async (t) => {
    assert.ok(elements.length > 0, 'custom-elements.json declares no custom element');
    await Promise.all(
      elements.map((el) =>
        t.test(el.tagName, async () => {
          const docs = entries.find((e) => e.type === 'docs' && e.title.split('/').includes(el.tagName));
          assert.ok(docs, `no Docs page for <${el.tagName}> (is the story file's meta.component set, with autodocs on?)`);
          const check = await pool.check(docs.id, 'docs', (page) => page.locator('#storybook-docs').innerText());
          const documented = [
            ...(el.attributes ?? []).map((a) => a.name),
            ...(el.events ?? []).map((e) => e.name),
            ...(el.slots ?? []).map((s) => s.name).filter(Boolean),
            ...(el.cssProperties ?? []).map((p) => p.name),
            ...(el.cssParts ?? []).map((p) => p.name),
          ];
          const absent = documented.filter((name) => !check.inspected.includes(name));
          assert.deepEqual(absent, [], `<${el.tagName}> Docs page lacks: ${absent.join(', ')}`);
          const problems = describeProblems(check);
          assert.equal(problems, '', `Docs page ${docs.id}:\n${problems}`);
        }),
      ),
    );
  });
});
