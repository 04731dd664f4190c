/**
 * Prometheus metrics (`GET /metrics`): one registry per server, so several servers can live
 * in one process (tests), plus Node's default metrics (prefix `live_chat_`), which describe
 * the process and are collected once per process into a shared registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | null = null;

/** The process-wide registry of Node's default metrics, created on first use. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'live_chat_' });
  }
  return processRegistry;
}

/** Buckets of the ack-time histograms, in ms. */
const ACK_MS_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
/** Buckets of the fan-out histogram, in sockets. */
const FANOUT_BUCKETS = [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 10_000];
/** Buckets of the group commit histogram, in messages per transaction. */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];

export interface Metrics {
  /** This server's metrics merged with the process's: what `GET /metrics` serves. */
  registry: Registry;
  /** Chat messages stored (not counting idempotent retries). */
  messages: Counter;
  /** Sockets connected now. */
  sockets: Gauge;
  /** XP awarded to chat messages. */
  xpAwarded: Counter;
  /** Coins awarded to chat messages. */
  coinsAwarded: Counter;
  /** Level-ups reported in rewards. */
  levelUps: Counter;
  /** Outside XP events accepted by `POST /api/xp/events`. */
  xpEvents: Counter;
  /** Socket acks refused, by error code. */
  refusals: Counter<'code'>;
  /** `message:send` handling time, receipt to ack, in ms (ok and refused). */
  sendAckMs: Histogram;
  /** `room:join` handling time, receipt to ack, in ms (ok and refused). */
  joinAckMs: Histogram;
  /** Sockets of this instance a `message:new` broadcast reaches (other instances count their own). */
  fanoutSize: Histogram;
  /** Socket.IO handshakes refused: `origin` (not in CORS_ORIGINS), `unauthorized` (bad or missing token). */
  handshakesRefused: Counter<'reason'>;
  /** Socket.IO connections accepted (handshake passed). */
  connections: Counter;
  /** Chat messages per ledger transaction (group commit, `GROUP_COMMIT_*`), one observation per transaction. */
  groupCommitMessages: Histogram;
  /** SQLite only: event-loop time of each WAL restart on the serving connection, in ms (`sqlite/checkpointer.ts`). */
  walRestartMs: Histogram;
  /** With Redis: viewers (a user in a room) this instance took out of presence because their instance stopped its heartbeats. */
  presenceReaped: Counter;
}

/**
 * Creates this server's counters and gauge in a fresh registry (so two servers in one process
 * do not collide) and merges in the process-wide Node metrics.
 * @returns {@link Metrics}; names are `live_chat_*` as listed in docs/server.md "Observability".
 *   Never throws (the process registry is created once).
 */
export function createMetrics(): Metrics {
  const own = new Registry();
  const registers = [own];
  const metrics = {
    messages: new Counter({ name: 'live_chat_messages_total', help: 'Chat messages stored', registers }),
    sockets: new Gauge({ name: 'live_chat_sockets', help: 'Sockets connected', registers }),
    xpAwarded: new Counter({ name: 'live_chat_xp_awarded_total', help: 'XP awarded for chat messages', registers }),
    coinsAwarded: new Counter({
      name: 'live_chat_coins_awarded_total',
      help: 'Coins awarded for chat messages',
      registers,
    }),
    levelUps: new Counter({ name: 'live_chat_level_ups_total', help: 'Level-ups reported', registers }),
    xpEvents: new Counter({ name: 'live_chat_xp_events_total', help: 'Outside XP events accepted', registers }),
    refusals: new Counter({
      name: 'live_chat_refusals_total',
      help: 'Socket acks refused, by error code',
      labelNames: ['code'],
      registers,
    }),
    sendAckMs: new Histogram({
      name: 'live_chat_send_ack_ms',
      help: 'message:send handling time, receipt to ack, in ms',
      buckets: ACK_MS_BUCKETS,
      registers,
    }),
    joinAckMs: new Histogram({
      name: 'live_chat_join_ack_ms',
      help: 'room:join handling time, receipt to ack, in ms',
      buckets: ACK_MS_BUCKETS,
      registers,
    }),
    fanoutSize: new Histogram({
      name: 'live_chat_fanout_size',
      help: 'Sockets on this instance a message:new broadcast reaches',
      buckets: FANOUT_BUCKETS,
      registers,
    }),
    handshakesRefused: new Counter({
      name: 'live_chat_handshakes_refused_total',
      help: 'Socket.IO handshakes refused, by reason (origin, unauthorized)',
      labelNames: ['reason'],
      registers,
    }),
    connections: new Counter({ name: 'live_chat_connections_total', help: 'Socket.IO connections accepted', registers }),
    groupCommitMessages: new Histogram({
      name: 'live_chat_group_commit_messages',
      help: 'Chat messages stored per ledger transaction (group commit)',
      buckets: BATCH_BUCKETS,
      registers,
    }),
    walRestartMs: new Histogram({
      name: 'live_chat_sqlite_wal_restart_ms',
      help: 'SQLite WAL restarts on the serving connection: event-loop time of each, in ms',
      buckets: ACK_MS_BUCKETS,
      registers,
    }),
    presenceReaped: new Counter({
      name: 'live_chat_presence_reaped_total',
      help: 'Viewers (a user in a room) taken out of presence because their instance stopped its heartbeats',
      registers,
    }),
  };
  // Merge after registering: a merged registry holds the metrics that exist at merge time.
  return { ...metrics, registry: Registry.merge([processMetrics(), own]) };
}
