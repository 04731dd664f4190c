/**
 * Cross-origin access for HTTP routes (docs/protocol.md, "HTTP routes": the site owner's page is on another
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

/**
 * Whether a Socket.IO handshake (the first polling request or a WebSocket upgrade) may
 * proceed, judged by its `Origin` header. Browsers send `Origin` on every WebSocket upgrade
 * and cross-origin request, and a page cannot forge it, so this keeps other sites' pages
 * from opening sockets in their visitors' browsers (CORS does not cover WebSockets).
 *
 * - `CORS_ORIGINS=*`: every origin.
 * - No `Origin` header: allowed. Browsers always send one on a WebSocket upgrade, so such a
 *   request comes from a non-browser client (the bench, a bot, a server), which could send
 *   any `Origin` it likes anyway; the token is what protects those.
 * - The server's own origin (the `Origin`'s host and port equal the `Host` header): allowed,
 *   so the demo page and a same-origin embed work with an empty list. Behind a proxy that
 *   rewrites `Host`, list the public origin in `CORS_ORIGINS`.
 * - Otherwise only an exact entry of `CORS_ORIGINS` (`null`, sent by sandboxed frames and
 *   `file:` pages, is never listed).
 * @param origins `config.corsOrigins`.
 * @param origin the request's `Origin` header, if any.
 * @param host the request's `Host` header, if any.
 * @returns true to let the handshake go on; never throws.
 */
export function handshakeAllows(origins: Config['corsOrigins'], origin: string | undefined, host: string | undefined): boolean {
  if (origins === '*' || origin === undefined) return true;
  if (corsAllows(origins, origin)) return true;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false;
  }
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
