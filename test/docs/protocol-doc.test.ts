/**
 * docs/protocol.md is the contract an outside client implements, so it must name everything
 * the code has and nothing it does not: every client → server event (`clientEventSchemas`),
 * every server → client event (`SERVER_EVENTS`), every error code (`ERROR_CODES`) with the HTTP
 * status the server answers it with, every rule default (`DEFAULT_LIMITS`) with the variable
 * that sets it, and every HTTP route (`HTTP_ROUTES`). `HTTP_ROUTES` itself is compared with the
 * routes the Express app really registers. And no Markdown link of README.md or docs/*.md
 * leaves the repository or points at a file that is not there.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_LIMITS, ERROR_CODES, HTTP_ROUTES, SERVER_EVENTS, type HttpRoute } from 'live-chat-protocol';
import { clientEventSchemas } from 'live-chat-protocol/schemas';
import { createServer, type ChatServerInstance } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { refuse } from '../../server/errors.ts';
import { codeHeadings, codeRows, linkTargets, markdownFiles, readRepoFile, ROOT, section } from './markdown.ts';

const doc = readRepoFile('docs/protocol.md');

/** The section `## title` of docs/protocol.md; fails the test when the heading is missing. */
function docSection(title: string): string {
  const body = section(doc, 2, title);
  assert.ok(body !== undefined, `docs/protocol.md has no "## ${title}" section`);
  return body;
}

/** Compares two name lists as sets, with messages that say which side lacks what. */
function assertSameNames(documented: string[], actual: readonly string[], what: string): void {
  const missing = actual.filter((n) => !documented.includes(n));
  const extra = documented.filter((n) => !actual.includes(n));
  assert.deepEqual(missing, [], `${what} missing from docs/protocol.md`);
  assert.deepEqual(extra, [], `docs/protocol.md documents ${what} the code does not have`);
  assert.equal(new Set(documented).size, documented.length, `docs/protocol.md documents some ${what} twice`);
}

describe('docs/protocol.md names everything the contract has', () => {
  test('one "### `event`" section per client → server event of clientEventSchemas', () => {
    assertSameNames(codeHeadings(docSection('Client → server events'), 3), Object.keys(clientEventSchemas), 'client events');
  });

  test('one "### `event`" section per server → client event of SERVER_EVENTS', () => {
    assertSameNames(codeHeadings(docSection('Server → client events'), 3), SERVER_EVENTS, 'server events');
  });

  test('one "### `METHOD /path`" section per route of HTTP_ROUTES', () => {
    const routes = HTTP_ROUTES.map((r) => `${r.method} ${r.path}`);
    assertSameNames(codeHeadings(docSection('HTTP routes'), 3), routes, 'routes');
  });

  test('the error table has one row per ERROR_CODES code, with the status the server answers it with', () => {
    const rows = codeRows(section(docSection('Acks and errors'), 3, 'Error codes') ?? '');
    assertSameNames(
      rows.map((r) => r.key),
      ERROR_CODES,
      'error codes',
    );
    // Every refusal the server can raise, built the way services build them.
    const raised = [
      refuse.unauthorized(),
      refuse.forbidden(),
      refuse.notFound(),
      refuse.invalid('x'),
      refuse.tooLong('x'),
      refuse.rateLimited(1000),
      refuse.slowMode(1000),
      refuse.timedOut(1000),
      refuse.chatClosed('x'),
    ];
    for (const error of raised) {
      const row = rows.find((r) => r.key === error.code);
      assert.ok(row, `no row for ${error.code}`);
      assert.match(row.cells[0] ?? '', new RegExp(`\\b${error.status}\\b`), `the row of ${error.code} must give HTTP ${error.status}`);
    }
    assert.match(rows.find((r) => r.key === 'internal')?.cells[0] ?? '', /\b500\b/, 'internal answers HTTP 500');
  });

  test('the rules table gives every DEFAULT_LIMITS default with the variable that really sets it', () => {
    const rows = codeRows(docSection('Rules'));
    const base = { DATA_DIR: 'unused', LOG_LEVEL: 'silent' };
    for (const [key, value] of Object.entries(DEFAULT_LIMITS)) {
      const row = rows.find((r) => r.key === key);
      assert.ok(row, `the Rules table has no row for \`${key}\``);
      const variable = /`([A-Z][A-Z0-9_]+)`/.exec(row.cells[0] ?? '')?.[1];
      assert.ok(variable, `the row of ${key} must name its environment variable in its second cell`);
      const shown = Number((row.cells[1] ?? '').replace(/[,\s]/g, ''));
      assert.equal(shown, value, `the row of ${key} must give the default ${value} in its third cell`);
      const config = loadConfig(base) as unknown as Record<string, unknown>;
      assert.equal(config[key], value, `${key}: the server's default differs from DEFAULT_LIMITS`);
      const changed = loadConfig({ ...base, [variable]: String(value + 1) }) as unknown as Record<string, unknown>;
      assert.equal(changed[key], value + 1, `${variable} does not set ${key}`);
    }
  });
});

describe('HTTP_ROUTES is what the server registers', () => {
  let dataDir: string;
  let server: ChatServerInstance;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'live-chat-docs-'));
    server = createServer(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  });
  after(async () => {
    await server.ready.catch(() => undefined);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Express 5 (router 2) layers: a route layer has `route`; a mounted router has `handle.stack`. */
  interface Layer {
    rawPath?: unknown;
    route?: { path: string | RegExp; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }

  /** A registered route: `METHOD /path`, or a method with the pattern of a RegExp route. */
  type Registered = { key: string } | { method: string; pattern: RegExp };

  /** Every route below `stack`, with the mount paths of nested routers. */
  function registered(stack: Layer[], prefix = ''): Registered[] {
    const out: Registered[] = [];
    for (const layer of stack) {
      if (layer.route) {
        const { path: routePath, methods } = layer.route;
        for (const method of Object.keys(methods).filter((m) => methods[m]).map((m) => m.toUpperCase())) {
          if (routePath instanceof RegExp) {
            assert.equal(prefix, '', 'a RegExp route inside a mounted router: extend this walk');
            out.push({ method, pattern: routePath });
          } else {
            out.push({ key: `${method} ${(prefix + routePath).replace(/(.)\/$/, '$1')}` });
          }
        }
      } else if (layer.handle?.stack) {
        assert.equal(typeof layer.rawPath, 'string', 'a router mounted without a plain string path: extend this walk');
        const mount = layer.rawPath === '/' ? '' : (layer.rawPath as string);
        out.push(...registered(layer.handle.stack, prefix + mount));
      }
    }
    return out;
  }

  test('every registered route is in HTTP_ROUTES, and every route of HTTP_ROUTES is registered', () => {
    const stack = (server.app as unknown as { router?: { stack?: Layer[] } }).router?.stack;
    assert.ok(Array.isArray(stack), 'app.router.stack is not there: is this Express 5?');
    const actual = registered(stack);
    assert.ok(actual.length > 5, `found only ${actual.length} routes: the walk no longer understands the router`);

    /** Whether a listed route is the registered one: the same `METHOD /path`, or a pattern matching its example. */
    const same = (listed: HttpRoute, found: Registered) =>
      'key' in found
        ? `${listed.method} ${listed.path}` === found.key && listed.example === undefined
        : listed.method === found.method && listed.example !== undefined && found.pattern.test(listed.example);
    const show = (found: Registered) => ('key' in found ? found.key : `${found.method} ${String(found.pattern)}`);

    for (const listed of HTTP_ROUTES) {
      assert.equal(listed.path.includes('<'), listed.example !== undefined, `${listed.path}: a <name> path needs an example, and only such a path`);
    }
    const unlisted = actual.filter((found) => !HTTP_ROUTES.some((listed) => same(listed, found))).map(show);
    assert.deepEqual(unlisted, [], 'routes the server registers but HTTP_ROUTES lacks (a RegExp route needs an entry with an example it matches)');
    const unregistered = HTTP_ROUTES.filter((listed) => !actual.some((found) => same(listed, found))).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(unregistered, [], 'routes of HTTP_ROUTES the server does not register');
  });
});

describe('Markdown links stay in the repository and resolve', () => {
  for (const file of markdownFiles()) {
    test(file, () => {
      const problems: string[] = [];
      for (const target of linkTargets(readRepoFile(file))) {
        if (/^(https?:|mailto:)/i.test(target) || target.startsWith('#')) continue;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          problems.push(`${target}: not a file of the repository`);
          continue;
        }
        const rel = decodeURIComponent(target.replace(/[#?].*$/, ''));
        if (/(^|\/)DESIGN\.md$/i.test(rel)) problems.push(`${target}: DESIGN.md is not part of the repository`);
        const resolved = rel.startsWith('/') ? path.join(ROOT, rel) : path.resolve(ROOT, path.dirname(file), rel);
        const inside = path.relative(ROOT, resolved);
        if (inside.startsWith('..') || path.isAbsolute(inside)) problems.push(`${target}: leaves the repository`);
        else if (!existsSync(resolved)) problems.push(`${target}: no such file`);
      }
      assert.deepEqual(problems, [], `broken or outside links in ${file}`);
    });
  }
});
