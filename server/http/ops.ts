/**
 * Operations routes: `GET /health` (the process is up), `GET /ready` (the ledger and the hot
 * store answer; 503 otherwise), `GET /metrics` (Prometheus text).
 */
import { Router } from 'express';
import type { Metrics } from '../metrics.ts';
import type { HotStore } from '../stores/hot-store.ts';
import type { Ledger } from '../stores/ledger.ts';

/**
 * Builds the operations router (mount at the root, before `/api`; no authentication).
 * @param deps.ledger / deps.hot pinged by `/ready`: `{ status: 'ready' | 'unavailable',
 *   checks: { sqlite: 'ok' | 'down', [hotStoreName]: 'ok' | 'down' } }`, 503 when either is down.
 * @param deps.metrics its `registry` is served by `/metrics` (Prometheus text format).
 * @param deps.hotStoreName the key of the hot store in `checks`: `memory` or `redis`.
 * @returns an Express router; it never throws (a failing store is reported, not raised).
 */
export function opsRouter(deps: { ledger: Ledger; hot: HotStore; metrics: Metrics; hotStoreName: string }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const check = (p: Promise<void>) => p.then(() => 'ok' as const, () => 'down' as const);
    const [sqlite, hot] = await Promise.all([check(deps.ledger.ping()), check(deps.hot.ping())]);
    const ready = sqlite === 'ok' && hot === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { sqlite, [deps.hotStoreName]: hot } });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
