/**
 * The operator files of deploy/ and docs/deploy.md cannot be run here as they are (no image
 * can be built, no systemd runs), so this test runs what they say, from a checkout:
 *
 * - Dockerfile: every file it COPYs exists (after `npm run build`), every npm script it runs
 *   exists; the last stage's files are assembled in a temp folder with only the production
 *   dependencies of package-lock.json, started with its CMD and ENV, probed with its
 *   HEALTHCHECK command, and stopped with SIGTERM (exit 0 within the stop timeout).
 * - compose.yaml: its Dockerfile exists, its health check is the image's, its variables are
 *   the server's, Redis is wired in.
 * - live-chat.service: ExecStart's file exists (with /opt/live-chat as the repository), it
 *   stops with SIGTERM, `systemd-analyze verify` has nothing to say (when installed).
 * - nginx.conf: `nginx -t` accepts it and a real nginx with it (ports and certificate swapped
 *   for test ones) proxies HTTP and Socket.IO (WebSocket and polling) to a server that checks
 *   the handshake's Origin against the forwarded Host (when nginx and openssl are installed).
 * - Every environment variable the files and docs/deploy.md name is one the server reads, and
 *   every HTTP path a health check uses is a route of HTTP_ROUTES.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { io as connectClient, type Socket } from 'socket.io-client';
import { HTTP_ROUTES } from 'live-chat-protocol';
import { eventually, freePort } from '../helpers/net.ts';
import { readRepoFile, ROOT } from './markdown.ts';

/** Where the image and the unit put the repository. */
const INSTALL_DIR = '/opt/live-chat';
/** `TimeoutStopSec` of the unit and `stop_grace_period` of Compose, in ms. */
const STOP_TIMEOUT_MS = 15_000;
const JWT_SECRET = 'deploy-test-secret-0123456789';

const dockerfile = readRepoFile('deploy/Dockerfile');
const compose = readRepoFile('deploy/compose.yaml');
const unit = readRepoFile('deploy/live-chat.service');
const nginxSite = readRepoFile('deploy/nginx.conf');
const envExample = readRepoFile('deploy/live-chat.env.example');
const deployDoc = readRepoFile('docs/deploy.md');
const rootPackage = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-chat-deploy-'));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

before(() => {
  if (existsSync(path.join(ROOT, 'server/dist/cli.js')) && existsSync(path.join(ROOT, 'widget/dist/bundle.json'))) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  assert.equal(build.status, 0, 'npm run build failed');
});

/* ------------------------------------------------------------------------------------------ */
/* Reading the files                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** The variables `server/config.ts` reads: the keys of its `variables` table. */
function configVariables(): Set<string> {
  const source = readRepoFile('server/config.ts');
  const start = source.indexOf('const variables = {');
  const end = source.indexOf('} as const;', start);
  assert.ok(start >= 0 && end > start, 'server/config.ts no longer has `const variables = { … } as const`: update this test');
  const names = [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
  assert.ok(names.length > 10, 'found too few variables in server/config.ts');
  return new Set(names);
}

interface Instruction {
  keyword: string;
  args: string;
  /** The stage (`FROM … AS name`, or its index) the instruction belongs to. */
  stage: string;
}

/** The Dockerfile's instructions, line continuations joined, comments dropped. */
function dockerInstructions(): Instruction[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const out: Instruction[] = [];
  let stage = '';
  let index = -1;
  for (const line of lines) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const [, keyword, args] = m as unknown as [string, string, string];
    if (keyword === 'FROM') {
      index += 1;
      stage = /\sAS\s+(\S+)/i.exec(args)?.[1] ?? String(index);
    }
    out.push({ keyword, args: args.trim(), stage });
  }
  return out;
}

/** The stage the image ends with. */
function finalStage(instructions: Instruction[]): string {
  return instructions[instructions.length - 1]!.stage;
}

/** The JSON (exec) form of CMD or HEALTHCHECK … CMD. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed = JSON.parse(json) as unknown;
  assert.ok(Array.isArray(parsed) && parsed.every((a) => typeof a === 'string'), `not an exec form: ${args}`);
  return parsed;
}

/** A Dockerfile `ENV` line's pairs (`ENV A=1 B=2`). */
function envPairs(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

/** The `test:` array of a Compose service's health check (the line after `healthcheck:` in that service). */
function composeHealthcheck(service: string): string[] {
  const block = compose.slice(compose.indexOf(`\n  ${service}:`));
  const line = /healthcheck:\s*\n\s+test:\s*(\[.*\])\s*\n/.exec(block)?.[1];
  assert.ok(line, `no healthcheck test of ${service} in deploy/compose.yaml`);
  return JSON.parse(line) as string[];
}

/** `key=value` lines of a systemd unit (first value per key, or all with `all`). */
function unitValues(key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!.trim());
}

/** A path inside the image or the install folder as a repository path. */
function repoPath(installed: string): string {
  assert.ok(installed.startsWith(INSTALL_DIR + '/'), `${installed} is not under ${INSTALL_DIR}`);
  return path.join(ROOT, installed.slice(INSTALL_DIR.length + 1));
}

/** The HTTP path a health-check command asks for. */
function healthPath(command: string[]): string {
  const found = /\/(health|ready)\b/.exec(command.join(' '));
  assert.ok(found, `no /health or /ready in ${command.join(' ')}`);
  return found[0];
}

/* ------------------------------------------------------------------------------------------ */
/* Running a server the way a file says                                                         */
/* ------------------------------------------------------------------------------------------ */

interface Running {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Sends SIGTERM; resolves with the exit code, or fails after {@link STOP_TIMEOUT_MS}. */
  stop(): Promise<number | null>;
}

/** Runs `command` (its `node` replaced by this node) in `cwd` with exactly `env` (plus PATH). */
async function runServer(command: string[], cwd: string, env: Record<string, string>): Promise<Running> {
  assert.equal(command[0], 'node', `${command.join(' ')} must run node itself`);
  const port = Number(env.PORT);
  const child = spawn(process.execPath, command.slice(1), {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await eventually(() => {
    assert.equal(child.exitCode, null, `the server exited:\n${output}`);
    assert.match(output, /"msg":"listening"/);
  }, 30_000);
  return {
    child,
    port,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`no exit within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${output}`));
        }, STOP_TIMEOUT_MS);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a health-check command (exec form, `node -e …`) with `env`; resolves with its exit code. */
function runCheck(command: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    child.once('exit', (code) => resolve(code));
  });
}

/**
 * The image's last stage as files: what its `COPY --from=` lines take from the build stage
 * (from the checkout), and a node_modules holding only the packages `npm ci --omit=dev`
 * installs (package-lock.json entries not marked `dev`), linked to the checkout's copies;
 * the workspace packages link to the assembled folders, as npm links them.
 */
function assembleImage(instructions: Instruction[]): string {
  const image = tempDir();
  const last = finalStage(instructions);
  for (const { args } of instructions.filter((i) => i.stage === last && i.keyword === 'COPY')) {
    const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
    const dest = parts.pop()!;
    for (const source of parts) {
      const rel = path.relative(INSTALL_DIR, source);
      const target = path.join(image, dest.endsWith('/') || parts.length > 1 ? path.join(dest, path.basename(source)) : dest);
      if (rel === 'node_modules' || rel.endsWith('/node_modules')) linkProductionModules(image, target, rel);
      else cpSync(repoPath(source), target, { recursive: true, verbatimSymlinks: true });
    }
  }
  return image;
}

/** Links the production packages the lockfile places under `folder` (`node_modules`, or a workspace's own). */
function linkProductionModules(image: string, target: string, folder: string): void {
  const lock = JSON.parse(readRepoFile('package-lock.json')) as {
    packages: Record<string, { dev?: boolean; link?: boolean; resolved?: string }>;
  };
  mkdirSync(target, { recursive: true });
  let linked = 0;
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith(`${folder}/`) || key.indexOf('/node_modules/', folder.length) >= 0 || entry.dev) continue;
    const name = key.slice(folder.length + 1);
    const from = entry.link ? path.join(image, entry.resolved!) : path.join(ROOT, key);
    if (!existsSync(entry.link ? path.join(ROOT, entry.resolved!) : from)) continue; // an optional package of another platform
    mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
    symlinkSync(from, path.join(target, name));
    linked += 1;
  }
  assert.ok(linked > (folder === 'node_modules' ? 10 : 0), `package-lock.json lists too few production packages under ${folder}`);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */
/* ------------------------------------------------------------------------------------------ */

describe('deploy/Dockerfile', () => {
  const instructions = dockerInstructions();
  const last = finalStage(instructions);

  test('COPYs only files that exist, runs only npm scripts that exist', () => {
    for (const { keyword, args } of instructions) {
      if (keyword === 'COPY') {
        const parts = args.split(/\s+/);
        const fromStage = parts.find((p) => p.startsWith('--from='));
        const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
        assert.ok(sources.length > 0, `COPY without a source: ${args}`);
        for (const source of sources) {
          const file = fromStage ? repoPath(source) : path.join(ROOT, source);
          assert.ok(existsSync(file), `COPY ${source}: ${path.relative(ROOT, file) || '.'} does not exist in the repository`);
        }
      }
      if (keyword === 'RUN') {
        for (const m of args.matchAll(/npm run ([\w:-]+)/g)) assert.ok(rootPackage.scripts[m[1]!], `RUN npm run ${m[1]}: no such script`);
      }
    }
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(runs.some((r) => /^npm ci$/.test(r)), 'a build stage runs npm ci');
    assert.ok(runs.some((r) => /^npm run build$/.test(r)), 'a build stage runs npm run build');
    assert.ok(runs.some((r) => /^npm ci --omit=dev$/.test(r)), 'the production dependencies come from npm ci --omit=dev');
  });

  test('the last stage: non-root, /data volume, production env, node as PID 1, a node health check', () => {
    const final = instructions.filter((i) => i.stage === last);
    const get = (keyword: string) => final.filter((i) => i.keyword === keyword).map((i) => i.args);
    assert.deepEqual(get('USER'), ['node']);
    assert.deepEqual(get('VOLUME'), ['/data']);
    assert.deepEqual(get('WORKDIR'), [INSTALL_DIR]);
    const env = Object.assign({}, ...get('ENV').map(envPairs)) as Record<string, string>;
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.DATA_DIR, '/data');
    assert.deepEqual(execForm(get('CMD')[0]!), ['node', 'server/bin.js']);
    assert.ok(existsSync(path.join(ROOT, 'server/bin.js')));
    const check = execForm(get('HEALTHCHECK')[0]!);
    assert.equal(check[0], 'node', 'the health check runs node (slim images have no curl)');
    assert.ok(HTTP_ROUTES.some((r) => r.method === 'GET' && r.path === healthPath(check)));
    const variables = configVariables();
    for (const name of Object.keys(env)) assert.ok(variables.has(name), `ENV ${name} is not a server variable`);
  });

  test('its last stage, assembled from a checkout with production dependencies only, starts, passes its health check and stops on SIGTERM', async () => {
    const final = instructions.filter((i) => i.stage === last);
    const image = assembleImage(instructions);
    const dataDir = path.join(tempDir(), 'data');
    const port = await freePort();
    const imageEnv = Object.assign({}, ...final.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args))) as Record<string, string>;
    const env = { ...imageEnv, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET };
    const check = execForm(final.find((i) => i.keyword === 'HEALTHCHECK')!.args);
    assert.notEqual(await runCheck(check, { PORT: String(port) }), 0, 'the health check must fail while nothing listens');

    const server = await runServer(execForm(final.find((i) => i.keyword === 'CMD')!.args), image, env);
    try {
      assert.equal(await runCheck(check, { PORT: String(port) }), 0, `the HEALTHCHECK command failed:\n${server.output()}`);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      assert.equal(ready.status, 200);
      const bundle = await fetch(`http://127.0.0.1:${port}/live-chat.js`);
      assert.equal(bundle.status, 200, 'the image serves the widget bundle');
      assert.ok(existsSync(path.join(dataDir, 'live-chat.db')), 'SQLite lives in DATA_DIR');
    } finally {
      assert.equal(await server.stop(), 0, `SIGTERM must stop the server with exit 0:\n${server.output()}`);
    }
  });
});

describe('deploy/compose.yaml', () => {
  test('builds deploy/Dockerfile, checks health like the image, wires Redis, names only server variables', () => {
    const context = /context:\s*(\S+)/.exec(compose)?.[1];
    const file = /dockerfile:\s*(\S+)/.exec(compose)?.[1];
    assert.ok(context && file, 'build context and dockerfile');
    assert.ok(existsSync(path.join(ROOT, 'deploy', context, file)), `${context}/${file} from deploy/`);
    const dockerCheck = execForm(dockerInstructions().find((i) => i.keyword === 'HEALTHCHECK')!.args);
    assert.deepEqual(composeHealthcheck('live-chat'), ['CMD', ...dockerCheck]);
    assert.deepEqual(composeHealthcheck('redis'), ['CMD', 'redis-cli', 'ping']);
    assert.match(compose, /REDIS_URL: redis:\/\/redis:6379/);
    assert.match(compose, /condition: service_healthy/);
    assert.match(compose, /- live-chat-data:\/data/);
    const environment = compose.slice(compose.indexOf('environment:'), compose.indexOf('ports:'));
    const variables = configVariables();
    for (const m of environment.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)) assert.ok(variables.has(m[1]!), `${m[1]} is not a server variable`);
    const grace = /stop_grace_period:\s*(\d+)s/.exec(compose)?.[1];
    assert.equal(Number(grace) * 1000, STOP_TIMEOUT_MS);
  });
});

describe('deploy/live-chat.service', () => {
  test('runs node on /opt/live-chat/server/bin.js, stops with SIGTERM in 15 s, keeps state in its StateDirectory', () => {
    const [execStart] = unitValues('ExecStart');
    const [node, script, ...rest] = execStart!.split(/\s+/);
    assert.equal(node, '/usr/bin/node');
    assert.deepEqual(rest, []);
    assert.ok(existsSync(repoPath(script!)), `${script} does not exist in the repository (as ${INSTALL_DIR})`);
    assert.deepEqual(unitValues('WorkingDirectory'), [INSTALL_DIR]);
    assert.deepEqual(unitValues('KillSignal'), ['SIGTERM']);
    assert.equal(Number(unitValues('TimeoutStopSec')[0]) * 1000, STOP_TIMEOUT_MS);
    assert.deepEqual(unitValues('StateDirectory'), ['live-chat']);
    assert.ok(unitValues('Environment').includes('DATA_DIR=/var/lib/live-chat'), 'DATA_DIR is the StateDirectory');
    assert.equal(unitValues('EnvironmentFile').length, 1);
    const variables = configVariables();
    for (const value of unitValues('Environment')) {
      const name = value.split('=')[0]!;
      assert.ok(variables.has(name), `Environment=${name} is not a server variable`);
    }
  });

  test('the ExecStart command starts the built checkout and stops on SIGTERM', async () => {
    const [, script] = unitValues('ExecStart')[0]!.split(/\s+/);
    const port = await freePort();
    const env: Record<string, string> = Object.fromEntries(unitValues('Environment').map((v) => v.split('=') as [string, string]));
    Object.assign(env, { DATA_DIR: path.join(tempDir(), 'state'), PORT: String(port), HOST: '127.0.0.1', JWT_SECRET });
    const server = await runServer(['node', repoPath(script!)], ROOT, env);
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    } finally {
      assert.equal(await server.stop(), 0, server.output());
    }
  });

  test('systemd-analyze verify finds nothing to say', (t) => {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) return t.skip('systemd-analyze is not installed');
    const dir = tempDir();
    const file = path.join(dir, 'live-chat.service');
    writeFileSync(file, unit);
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    const said = `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.includes('live-chat.service'));
    assert.deepEqual(said, [], 'systemd-analyze verify complains about the unit');
    assert.equal(result.status, 0);
  });
});

describe('deploy/nginx.conf', () => {
  const nginx = spawnSync('nginx', ['-v']).status === 0;
  const openssl = spawnSync('openssl', ['version']).status === 0;
  const skip = !nginx || !openssl ? 'nginx and openssl must be installed (apt-get install nginx-light openssl)' : false;

  let dir: string;
  let ports: { https: number; http: number; server: number };
  let nginxProcess: ChildProcess | undefined;
  let nginxOutput = '';
  let server: Running | undefined;

  /** The site with test ports and a self-signed certificate; every other line as shipped. */
  function testSite(): string {
    let site = nginxSite
      .replace(/^\s*listen \[::\]:\d+.*\n/gm, '')
      .replace(/listen 443 ssl;/, `listen 127.0.0.1:${ports.https} ssl;`)
      .replace(/listen 80;/, `listen 127.0.0.1:${ports.http};`)
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`)
      .replace(/server 127\.0\.0\.1:3000;/, `server 127.0.0.1:${ports.server};`);
    for (const swapped of [`127.0.0.1:${ports.https} ssl`, `127.0.0.1:${ports.http};`, `${dir}/cert.pem`, `${dir}/key.pem`, `:${ports.server};`]) {
      assert.ok(site.includes(swapped), `deploy/nginx.conf changed shape: could not swap in ${swapped}`);
    }
    return site;
  }

  before(async () => {
    if (skip) return;
    dir = tempDir();
    ports = { https: await freePort(), http: await freePort(), server: await freePort() };
    const cert = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
      { encoding: 'utf8' },
    );
    assert.equal(cert.status, 0, cert.stderr);
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, 'site.conf'), testSite());
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'worker_processes 1;',
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((s) => `  ${s === 'body' ? 'client_body' : s}_temp_path ${dir}/${s};`),
        `  include ${dir}/site.conf;`,
        '}',
      ].join('\n'),
    );
  });

  after(async () => {
    if (nginxProcess && nginxProcess.exitCode === null) {
      const gone = new Promise((resolve) => nginxProcess!.once('exit', resolve));
      nginxProcess.kill('SIGTERM');
      await gone;
    }
    if (server) await server.stop();
  });

  test('nginx -t accepts it', { skip }, () => {
    const result = spawnSync('nginx', ['-t', '-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  test('proxies HTTP, redirects to HTTPS, and carries Socket.IO over WebSocket and polling with the Origin rule intact', { skip }, async () => {
    server = await runServer(['node', path.join(ROOT, 'server/bin.js')], ROOT, {
      NODE_ENV: 'production',
      JWT_SECRET,
      ALLOW_GUESTS: 'true',
      DATA_DIR: path.join(dir, 'data'),
      HOST: '127.0.0.1',
      PORT: String(ports.server),
    });
    nginxProcess = spawn('nginx', ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginxProcess.stdout!.on('data', (d) => (nginxOutput += d));
    nginxProcess.stderr!.on('data', (d) => (nginxOutput += d));
    const origin = `https://127.0.0.1:${ports.https}`;

    const health = await eventually(async () => {
      assert.equal(nginxProcess!.exitCode, null, `nginx exited:\n${nginxOutput}`);
      return get(`${origin}/health`);
    });
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    const plain = await fetch(`http://127.0.0.1:${ports.http}/health`, { redirect: 'manual' });
    assert.equal(plain.status, 301);
    assert.match(plain.headers.get('location') ?? '', /^https:\/\//);
    assert.equal((await get(`${origin}/metrics`)).status, 200, 'metrics from the host itself');

    for (const transport of ['websocket', 'polling'] as const) {
      const socket = await connect(origin, transport, origin);
      try {
        const ack = (await socket.timeout(5000).emitWithAck('room:join', { roomId: 'lobby' })) as { ok: boolean };
        assert.equal(ack.ok, true, `room:join through nginx over ${transport}`);
      } finally {
        socket.disconnect();
      }
    }
    await assert.rejects(connect(origin, 'websocket', 'https://elsewhere.example'), 'another origin is refused through the proxy');
  });

  /** GET over HTTPS, trusting the test certificate. */
  function get(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** A guest socket through the proxy with a browser's `Origin`; rejects on `connect_error`. */
  function connect(url: string, transport: 'websocket' | 'polling', origin: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connectClient(url, {
        transports: [transport],
        rejectUnauthorized: false,
        extraHeaders: { Origin: origin },
        reconnection: false,
        forceNew: true,
      });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => {
        socket.disconnect();
        reject(err);
      });
    });
  }
});

describe('docs/deploy.md and deploy/live-chat.env.example', () => {
  test('name only variables the server reads, npm scripts that exist and routes that exist', () => {
    const variables = configVariables();
    const named = new Set([
      ...[...deployDoc.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT|HOST)(?:=[^`]*)?`/g)].map((m) => m[1]!),
      ...[...envExample.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
    ]);
    assert.ok(named.size > 8);
    assert.deepEqual([...named].filter((n) => !variables.has(n)), [], 'variables the server does not read');
    for (const m of deployDoc.matchAll(/npm run ([\w:-]+)/g)) assert.ok(rootPackage.scripts[m[1]!], `npm run ${m[1]}: no such script`);
    for (const m of deployDoc.matchAll(/`(GET|POST) (\/[^`\s]*)`/g)) {
      assert.ok(HTTP_ROUTES.some((r) => r.method === m[1] && r.path === m[2]), `${m[1]} ${m[2]} is not a route`);
    }
  });
});
