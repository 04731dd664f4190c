/** What every part of the PostgreSQL ledger shares: the pool, and the promise of its migrated schema. */
import type { Pool } from './pool.ts';

export interface PgContext {
  pool: Pool;
  /** Resolves once the schema is at the newest migration; every method awaits it first. */
  ready: Promise<void>;
}
