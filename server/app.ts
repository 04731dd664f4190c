/**
 * Builds the reference server: Express for HTTP, Socket.IO for real time, the SQLite ledger
 * and the hot store (docs/server.md, "Layout"). Importing this file does nothing; `createServer`
 * opens the database and wires everything, but never listens: the caller runs
 * `server.http.listen(port)` (see `cli.ts`) and awaits `server.ready` before serving traffic.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import express, { type Express } from 'express';
import { pino, type Logger } from 'pino';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { prepareDataDir, startupWarnings, type Config } from './config.ts';
import { identify } from './http/auth.ts';
import { apiRouter } from './http/api.ts';
import { cors, handshakeAllows } from './http/cors.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { opsRouter } from './http/ops.ts';
import { staticRouter } from './http/static.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { batchWebSocketWrites } from './realtime/batched-writes.ts';
import { socketParser } from './realtime/join-history.ts';
import { attachRealtime, type ChatServer } from './realtime/socket-server.ts';
import { countingRefusals } from './services/identity.ts';
import { createServices, type Services } from './services/index.ts';
import type { HotStore } from './stores/hot-store.ts';
import type { Ledger } from './stores/ledger.ts';
import { createMemoryHotStore } from './stores/memory-hot-store.ts';
import { createRedisHotStore } from './stores/redis-hot-store.ts';
import { createFailoverHotStore } from './stores/failover-hot-store.ts';
import { createLedger, openDatabase } from './stores/sqlite-ledger.ts';
import { createPostgresLedger } from './stores/postgres/postgres-ledger.ts';
import { redisAdapterClients } from './realtime/redis-adapter.ts';

/**
 * For embedding: `loadConfig(env)` reads the same variables as the bin (docs/server.md,
 * "Configuration"; unset ones take their defaults) into the {@link Config} that
 * {@link createServer} takes, and throws {@link ConfigError} naming the first bad one.
 */
export { ConfigError, loadConfig, type Config } from './config.ts';

export interface ServerDeps {
  /** ms since the epoch; every rule that depends on time reads it (default `Date.now`). */
  clock?: () => number;
  /** Default: pino at `config.logLevel`. */
  logger?: Logger;
  /** Folder holding `demo/` and `dist/`; default: the package root. */
  staticRoot?: string;
  /** How long `close()` waits for running socket handlers to ack, in ms (default {@link DRAIN_TIMEOUT_MS}). */
  drainTimeoutMs?: number;
}

/**
 * How long start-up waits for the Redis adapter's subscriptions, in ms: past it (Redis down)
 * the instance starts anyway, serving its own clients, and joins the others when Redis returns.
 */
export const ADAPTER_START_WAIT_MS = 3000;

/** Default bound of the graceful drain in `close()`: 5 s. */
export const DRAIN_TIMEOUT_MS = 5000;

export interface ChatServerInstance {
  app: Express;
  /** Not listening yet. */
  http: HttpServer;
  io: ChatServer;
  config: Config;
  ledger: Ledger;
  hot: HotStore;
  services: Services;
  metrics: Metrics;
  logger: Logger;
  /** Resolves once start-up work (the default room) is done. */
  ready: Promise<void>;
  /**
   * Graceful drain, then shutdown: refuses new client events (ack `internal`, "The server is
   * shutting down; retry"), waits for the running handlers to ack (at most `drainTimeoutMs`,
   * 5 s), then disconnects sockets, stops timers and the HTTP server, closes the hot store
   * and SQLite. A send is acked or refused, never half-written (one ledger transaction).
   * Idempotent: later calls answer the same promise.
   */
  close(): Promise<void>;
}

/**
 * @param config from `loadConfig(process.env)` (or built by a test).
 * @throws {ConfigError} `DATA_DIR` when the data folder is not a writable folder (checked
 *   before SQLite opens it, see `prepareDataDir`); else when the SQLite file cannot be opened.
 */
export function createServer(config: Config, deps: ServerDeps = {}): ChatServerInstance {
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? pino({ name: 'live-chat', level: config.logLevel });
  for (const warning of startupWarnings(config)) logger.warn(warning);
  const metrics = createMetrics();
  const ledger = openLedger(config, logger, metrics);
  // With Redis, hot state is shared; during a Redis outage each instance serves its own
  // clients from memory (server/stores/failover-hot-store.ts).
  // Either way this instance's sockets are put back into the presence it switched to (set
  // once the realtime layer exists).
  let resyncPresence = () => {};
  const hot = config.redisUrl
    ? createFailoverHotStore(createRedisHotStore(config.redisUrl), createMemoryHotStore(), {
        onChange: (up, err) => {
          if (up) logger.info('redis answers again: hot state back in Redis');
          else logger.warn({ err }, 'redis is down: serving this instance’s clients from memory until it returns');
          resyncPresence();
        },
      })
    : createMemoryHotStore();
  // With Redis, broadcasts reach sockets of every instance through the Redis adapter.
  const adapterClients = config.redisUrl ? redisAdapterClients(config.redisUrl, logger) : null;
  const services = createServices({ config, ledger, hot, clock, logger, metrics });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(cors(config.corsOrigins));
  app.use(
    opsRouter({
      checks: {
        [config.databaseUrl ? 'postgres' : 'sqlite']: () => ledger.ping(),
        [config.redisUrl ? 'redis' : 'memory']: async () => {
          await hot.ping();
          await adapterClients?.ping();
        },
      },
      metrics,
      metricsToken: config.metricsToken,
    }),
  );
  app.use('/api', identify(services.identity), apiRouter(config, services));
  app.use(staticRouter({ root: deps.staticRoot, serveDemo: config.serveDemo }));
  app.use(notFound);
  app.use(errorHandler(logger));

  const http = createHttpServer(app);
  // A flush of several packets leaves a socket in one write (realtime/batched-writes.ts).
  batchWebSocketWrites();
  const io: ChatServer = new Server(http, {
    serveClient: false,
    // Standard Socket.IO packets; join acks splice in a history encoded once per room.
    parser: socketParser,
    cors: { origin: config.corsOrigins === '*' ? '*' : config.corsOrigins, methods: ['GET', 'POST'] },
    // CORS does not cover WebSockets: check Origin on every handshake (polling or upgrade).
    allowRequest: (req, answer) => {
      const allowed = handshakeAllows(config.corsOrigins, req.headers.origin, req.headers.host);
      if (!allowed) metrics.handshakesRefused.inc({ reason: 'origin' });
      answer(allowed ? null : 'Origin not allowed', allowed);
    },
  });
  io.on('connection', () => metrics.connections.inc());
  if (adapterClients) io.adapter(createAdapter(adapterClients.pub, adapterClients.sub));
  // The handshake calls identity.authenticate: count its refusals.
  const handshakeIdentity = countingRefusals(services.identity, () => metrics.handshakesRefused.inc({ reason: 'unauthorized' }));
  const realtime = attachRealtime(io, { config, services: { ...services, identity: handshakeIdentity }, logger, metrics });
  resyncPresence = realtime.resyncPresence;
  // Start-up: the default room, and (bounded) the Redis adapter's subscriptions, so a fresh
  // instance is in the others' broadcasts before it says it is ready.
  const ready = Promise.all([services.rooms.ensureDefault(), adapterClients?.settled(ADAPTER_START_WAIT_MS)]).then(() => undefined);

  let closing: Promise<void> | null = null;
  return {
    app,
    http,
    io,
    config,
    ledger,
    hot,
    services,
    metrics,
    logger,
    ready,
    close() {
      closing ??= (async () => {
        const running = await realtime.drain(deps.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
        if (running > 0) logger.warn({ handlers: running }, 'socket handlers still running after the drain timeout');
        realtime.close();
        const closed = io.close();
        http.closeAllConnections();
        await closed;
        await ready.catch(() => undefined);
        await hot.close();
        await adapterClients?.close();
        await ledger.close();
      })();
      return closing;
    },
  };
}

/**
 * The ledger `config` asks for: PostgreSQL with `DATABASE_URL` (shared by every instance;
 * migrated in the background, every call waits for it), else the SQLite file in `DATA_DIR`
 * (checked first, see `prepareDataDir`).
 * @throws {ConfigError} `DATA_DIR` (SQLite only); else when the SQLite file cannot be opened.
 */
function openLedger(config: Config, logger: Logger, metrics: Metrics): Ledger {
  if (config.databaseUrl) {
    return createPostgresLedger({
      connectionString: config.databaseUrl,
      onError: (err) => logger.warn({ err }, 'postgres connection lost; the pool reconnects'),
    });
  }
  prepareDataDir(config.dataDir);
  return createLedger(openDatabase(config.dataDir, config.sqliteSynchronous), {
    onCheckpointError: (err) => logger.warn({ err }, 'the SQLite checkpoint worker stopped; commits checkpoint the WAL again'),
    onWalRestart: (restart) => metrics.walRestartMs.observe(restart.ms),
  });
}

/** QUIT when connected, else drop the connection (no waiting for a Redis that is gone). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
