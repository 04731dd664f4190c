/**
 * Embedding the server from code as docs/server.md ("Run it") shows: `createServer` and
 * `loadConfig` from the `live-chat-server` package (its `exports`, not a source path), a config
 * from a few variables with the rest defaulted, a bad variable refused with `ConfigError`.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ConfigError, createServer, loadConfig } from 'live-chat-server';
import { tempDir } from './helpers.ts';

describe('embedding live-chat-server', () => {
  it('serves from createServer(loadConfig(env)) on a port the caller listens on, and closes', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' });
    assert.equal(config.dataDir, dataDir);
    const server = createServer(config);
    await server.ready;
    await new Promise<void>((resolve) => server.http.listen(config.port, config.host, resolve));
    const { port } = server.http.address() as AddressInfo;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const rooms = await fetch(`http://127.0.0.1:${port}/api/rooms`);
    assert.equal(rooms.status, 200);
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad variable with ConfigError naming it', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (err) => err instanceof ConfigError && /PORT/.test(err.message));
  });
});
