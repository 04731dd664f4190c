/**
 * docs/theming.md is what a site owner copies: its example must be the stylesheet the Themed
 * stories render (and the Storybook suite checks with axe), and it must name only tokens and
 * parts `<live-chat>` really has, and all of them (as `custom-elements.json` lists them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.ts';

const doc = readFileSync(join(ROOT, 'docs', 'theming.md'), 'utf8');
const example = readFileSync(join(ROOT, 'stories', 'theme-example.css'), 'utf8').trimEnd();

interface Named {
  name: string;
}
const root = (JSON.parse(readFileSync(join(ROOT, 'widget', 'custom-elements.json'), 'utf8')) as {
  modules: { declarations?: (Named & { tagName?: string; cssProperties?: Named[]; cssParts?: Named[] })[] }[];
}).modules
  .flatMap((m) => m.declarations ?? [])
  .find((d) => d.tagName === 'live-chat');
const tokens = new Set((root?.cssProperties ?? []).map((p) => p.name));
const parts = new Set((root?.cssParts ?? []).map((p) => p.name));

test('the example in docs/theming.md is the stylesheet of the Themed stories', () => {
  assert.ok(doc.includes('```css\n' + example + '\n```'), 'docs/theming.md must quote stories/theme-example.css verbatim in a ```css block');
});

test('the example sets only documented tokens and styles only documented parts', () => {
  assert.ok(root, '<live-chat> is not in custom-elements.json');
  const set = [...example.matchAll(/(--lc-[a-z0-9-]+)\s*:/g)].map((m) => m[1]!);
  assert.ok(set.length > 10, 'the example should set the main tokens');
  assert.deepEqual(set.filter((t) => !tokens.has(t)), [], 'tokens the element does not have');
  const styled = [...example.matchAll(/::part\(([a-z-]+)\)/g)].map((m) => m[1]!);
  assert.ok(styled.length > 0, 'the example should show ::part rules');
  assert.deepEqual(styled.filter((p) => !parts.has(p)), [], 'parts the element does not have');
});

test('docs/theming.md lists every token and part of <live-chat>, and no other', () => {
  const named = new Set([...doc.matchAll(/`(--lc-[a-z0-9-]+)`/g)].map((m) => m[1]!));
  assert.deepEqual([...tokens].filter((t) => !named.has(t)), [], 'tokens missing from docs/theming.md');
  assert.deepEqual([...named].filter((t) => !tokens.has(t)), [], 'docs/theming.md names tokens the element does not have');
  const table = doc.slice(doc.indexOf('## Parts'));
  const listed = new Set([...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
  assert.deepEqual([...parts].filter((p) => !listed.has(p)), [], 'parts missing from the table of docs/theming.md');
  assert.deepEqual([...listed].filter((p) => !parts.has(p)), [], 'docs/theming.md lists parts the element does not have');
});
