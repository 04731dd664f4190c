/**
 * Operations routes: `GET /health` (the process is up), `GET /ready` (the ledger, the hot
 * store and, with Redis, the Socket.IO adapter answer; 503 otherwise, naming the check that
 * failed), `GET /metrics` (Prometheus text; behind a Bearer token when `METRICS_TOKEN` is set).
 */
import { Router } from 'express';
import { refuse } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { bearerToken, sameSecret } from './auth.ts';

/** A readiness check: resolves when what it checks answers, rejects (with what is wrong) otherwise. */
export type ReadyCheck = () => Promise<void>;

/**
 * Builds the operations router (mount at the root, before `/api`; `/health` and `/ready` need
 * no authentication).
 * @param deps.checks what `/ready` runs, by name (the ledger as `sqlite` or `postgres`, the
 *   hot store as `memory` or `redis`, the Redis check covering the Socket.IO adapter's
 *   connections and subscriptions too): `{ status: 'ready' | 'unavailable', checks: { [name]:
 *   'ok' | 'down' } }`, 503 when any is down (a check that takes more than
 *   {@link READY_CHECK_TIMEOUT_MS} is down).
 * @param deps.metrics its `registry` is served by `/metrics` (Prometheus text format).
 * @param deps.metricsToken `METRICS_TOKEN`: when set, `/metrics` needs `Authorization: Bearer
 *   <token>` (compared in constant time) and answers 401 `unauthorized` with
 *   `WWW-Authenticate: Bearer` otherwise; null or absent: `/metrics` is open.
 * @returns an Express router; a failing store is reported, not raised; the only refusal is
 *   the 401 of `/metrics`, passed to the error handler.
 */
export function opsRouter(deps: { checks: Record<string, ReadyCheck>; metrics: Metrics; metricsToken?: string | null }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((name) => within(deps.checks[name]!(), READY_CHECK_TIMEOUT_MS)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ? ('ok' as const) : ('down' as const)]));
    const ready = results.every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
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

/** How long `/ready` waits for one check, in ms (a database that does not answer is down). */
export const READY_CHECK_TIMEOUT_MS = 2000;

/** True when `check` resolves within `ms`; false when it rejects or takes longer. */
function within(check: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const answer = check.then(() => true, () => false);
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
