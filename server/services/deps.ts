/** What every service is built from. Services never see Express or Socket.IO. */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Metrics } from '../metrics.ts';
import type { HotStore } from '../stores/hot-store.ts';
import type { Ledger } from '../stores/ledger.ts';
import type { DomainEvents } from './events.ts';

export interface ServiceDeps {
  config: Config;
  ledger: Ledger;
  hot: HotStore;
  /** ms since the epoch; injected so tests move time without sleeping. */
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
}

/** What each service is built from: the deps plus the channel it announces domain events on. */
export interface ServiceContext extends ServiceDeps {
  events: DomainEvents;
}

/** ms → ISO 8601 UTC, null kept. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
