/**
 * Small readers of the repository's Markdown for the docs tests: sections by heading, the
 * headings that name something in backticks, table rows, and links (outside code).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file of the repository as text (`rel` from the root, `/`-separated). */
export function readRepoFile(rel: string): string {
  return readFileSync(path.join(ROOT, rel), 'utf8');
}

/** The Markdown a reader of the repository opens: README.md and docs/*.md, as root-relative paths. */
export function markdownFiles(): string[] {
  const docs = existsSync(path.join(ROOT, 'docs'))
    ? readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => `docs/${f}`)
    : [];
  return ['README.md', ...docs];
}

/** The text with fenced code blocks and inline code spans blanked out (their links are not links). */
export function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, (span) => ' '.repeat(span.length));
}

/**
 * The body of the section under the heading `## title` (exactly that level and text), up to
 * the next heading of the same or a higher level; undefined when there is no such heading.
 */
export function section(markdown: string, level: number, title: string): string | undefined {
  const lines = markdown.split('\n');
  const marker = '#'.repeat(level) + ' ';
  const start = lines.findIndex((l) => l === marker + title);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^#{1,6} /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The names of the headings of one level that are a single code span: `### \`room:join\`` → `room:join`. */
export function codeHeadings(markdown: string, level: number): string[] {
  const re = new RegExp(`^${'#'.repeat(level)} \`([^\`]+)\`$`, 'gm');
  return [...markdown.matchAll(re)].map((m) => m[1]!);
}

/** Table rows whose first cell is a single code span: `| \`invalid\` | 400 | … |` → `{ key, cells }`. */
export function codeRows(markdown: string): { key: string; cells: string[] }[] {
  return [...markdown.matchAll(/^\| `([^`]+)` \|(.*)\|\s*$/gm)].map((m) => ({
    key: m[1]!,
    cells: m[2]!.split('|').map((c) => c.trim()),
  }));
}

/** Every link target of a Markdown text outside code: inline links, images and reference definitions. */
export function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const inline = [...text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const defined = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)].map((m) => m[1]!);
  return [...inline, ...defined];
}
