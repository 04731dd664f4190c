/**
 * Prometheus metrics (`GET /metrics`): one registry per server, so several servers can live
 * in one process (tests), plus Node's default metrics (prefix `live_chat_`), which describe
 * the process and are collected once per process into a shared registry.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | null = null;

/** The process-wide registry of Node's default metrics, created on first use. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'live_chat_' });
  }
  return processRegistry;
}

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
  };
  // Merge after registering: a merged registry holds the metrics that exist at merge time.
  return { ...metrics, registry: Registry.merge([processMetrics(), own]) };
}
