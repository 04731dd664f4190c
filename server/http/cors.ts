/**
 * Cross-origin access for HTTP routes (DESIGN.md "HTTP": the site owner's page is on another
 * origin). `CORS_ORIGINS` is `*` (any origin; the default outside production) or a list.
 * No credentials are involved (tokens travel in `Authorization`), so `*` is safe to answer.
 */
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';

/**
 * Whether a cross-origin caller may use the HTTP routes and Socket.IO.
 * @param origins `CORS_ORIGINS`: `'*'` or a list of exact origins (`https://a.example`).
 * @param origin the request's `Origin` header, compared exactly (scheme, host and port).
 * @returns true for `'*'` or a listed origin; never throws.
 */
export function corsAllows(origins: Config['corsOrigins'], origin: string): boolean {
  return origins === '*' || origins.includes(origin);
}

/** Sets `Access-Control-Allow-*` for allowed origins and answers preflights with 204. */
export function cors(origins: Config['corsOrigins']): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || !corsAllows(origins, origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
    res.vary('Origin');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Api-Key');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
