/**
 * A @web/test-runner plugin that runs the real chat server (`server/bin.js` on the compiled server, as the package's
 * bin runs it) for the widget tests that talk to one, on its own free port (another origin
 * than the test page) with a fresh SQLite folder. Commands, from a test:
 *
 *   const { id, url } = await executeServerCommand('chat-server-start');
 *   await executeServerCommand('chat-server-restart', { id, signal: 'SIGKILL' });  // same port and data
 *   await executeServerCommand('chat-server-stop', { id });
 *
 * Every server left running is stopped, and its folder removed, when the runner stops.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns the server and resolves once `GET /health` answers (≤ 30 s). */
async function launch(server) {
  const child = spawn(process.execPath, [join(root, 'server', 'bin.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(server.port),
      DATA_DIR: server.dataDir,
      DEV_TOKENS: 'true',
      CORS_ORIGINS: '*',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.child = child;
  server.output = '';
  child.stdout.on('data', (d) => (server.output += d));
  child.stderr.on('data', (d) => (server.output += d));
  server.exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`chat server exited with ${child.exitCode}:\n${server.output}`);
    try {
      if ((await fetch(`${server.url}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`chat server did not answer /health within 30 s:\n${server.output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(server, signal = 'SIGTERM') {
  if (server.child && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill(signal);
    await server.exited;
  }
}

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function chatServerPlugin() {
  const servers = new Map();
  let next = 0;
  return {
    name: 'live-chat-server',
    async executeCommand({ command, payload }) {
      if (command === 'chat-server-start') {
        const port = await freePort();
        const server = { id: String(++next), port, url: `http://127.0.0.1:${port}`, dataDir: mkdtempSync(join(tmpdir(), 'live-chat-widget-')) };
        servers.set(server.id, server);
        await launch(server);
        return { id: server.id, url: server.url };
      }
      const server = servers.get(payload?.id);
      if (command === 'chat-server-restart') {
        await stop(server, payload.signal);
        await launch(server);
        return true;
      }
      if (command === 'chat-server-stop') {
        await stop(server, payload.signal);
        if (!payload.keep) {
          rmSync(server.dataDir, { recursive: true, force: true });
          servers.delete(server.id);
        }
        return true;
      }
      return undefined;
    },
    async serverStop() {
      for (const server of servers.values()) {
        await stop(server, 'SIGKILL');
        rmSync(server.dataDir, { recursive: true, force: true });
      }
      servers.clear();
    },
  };
}
