/**
 * `live-chat-server`: reads the environment (`config.ts`), starts the server on `PORT`, logs
 * `listening` with its URL, and on SIGTERM / SIGINT closes sockets and SQLite cleanly and
 * exits 0. A bad setting (including a `DATA_DIR` that is not a writable folder, checked before
 * SQLite opens it) exits 1 with one line naming the variable, and no stack trace.
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createServer, type ChatServerInstance } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

/** Prints a configuration error as one line and exits 1; rethrows anything else. */
function exitOnConfigError(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`live-chat-server: invalid configuration: ${err.message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  exitOnConfigError(err);
}

const logger = pino({ name: 'live-chat', level: config.logLevel });
let server: ChatServerInstance;
try {
  server = createServer(config, { logger });
} catch (err) {
  exitOnConfigError(err);
}

server.http.on('error', (err) => {
  logger.fatal({ err }, 'cannot listen');
  process.exit(1);
});

await server.ready;
server.http.listen(config.port, config.host, () => {
  const { port } = server.http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // An IPv6 address goes in brackets in a URL (RFC 3986): http://[::1]:3000.
  logger.info({ url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, dataDir: config.dataDir }, 'listening');
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close().then(
    () => {
      logger.info('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
