/**
 * Operations routes: `GET /health` (the process is up), `GET /ready` (the ledger and the hot
 * store answer; 503 otherwise), `GET /metrics` (Prometheus text; behind a Bearer token when
 * `METRICS_TOKEN` is set).
 */
import { Router } from 'express';
import { refuse } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { HotStore } from '../stores/hot-store.ts';
import type { Ledger } from '../stores/ledger.ts';
import { bearerToken, sameSecret } from './auth.ts';

/**
 * Builds the operations router (mount at the root, before `/api`; `/health` and `/ready` need
 * no authentication).
 * @param deps.ledger / deps.hot pinged by `/ready`: `{ status: 'ready' | 'unavailable',
 *   checks: { sqlite: 'ok' | 'down', [hotStoreName]: 'ok' | 'down' } }`, 503 when either is down.
 * @param deps.metrics its `registry` is served by `/metrics` (Prometheus text format).
 * @param deps.hotStoreName the key of the hot store in `checks`: `memory` or `redis`.
 * @param deps.metricsToken `METRICS_TOKEN`: when set, `/metrics` needs `Authorization: Bearer
 *   <token>` (compared in constant time) and answers 401 `unauthorized` with
 *   `WWW-Authenticate: Bearer` otherwise; null or absent: `/metrics` is open.
 * @returns an Express router; a failing store is reported, not raised; the only refusal is
 *   the 401 of `/metrics`, passed to the error handler.
 */
export function opsRouter(deps: {
  ledger: Ledger;
  hot: HotStore;
  metrics: Metrics;
  hotStoreName: string;
  metricsToken?: string | null;
}): Router {
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
  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken) {
      const token = bearerToken(req.headers.authorization);
      if (!token || !sameSecret(token, deps.metricsToken)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        throw refuse.unauthorized('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
