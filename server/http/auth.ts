/**
 * HTTP identity: `Authorization: Bearer <token>` verified like the socket handshake. No
 * header: an anonymous caller (`res.locals.identity = null`). A forged or expired token:
 * 401 `unauthorized`, on every route it is mounted on (`/api`, `app.ts`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Identity, IdentityService } from '../services/identity.ts';
import { refuse } from '../errors.ts';

/**
 * Express middleware that puts the caller's identity in `res.locals.identity` (read it with
 * {@link identityOf}).
 * @param ids verifies the Bearer token (HS256 with `JWT_SECRET`, or a key of `JWKS_URL`).
 * @returns middleware that sets `null` without an `Authorization` header, and throws
 *   `unauthorized` (401) for a header that is not `Bearer <token>` or a forged/expired token.
 */
export function identify(ids: IdentityService): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      res.locals.identity = null;
      return next();
    }
    const token = bearerToken(header);
    if (!token) throw refuse.unauthorized('Authorization must be "Bearer <token>"');
    res.locals.identity = await ids.verify(token);
    next();
  };
}

/**
 * Constant-time comparison of a secret a caller sent (API key, metrics token) with the
 * configured one. Both are hashed (SHA-256) first, so neither their bytes nor their lengths
 * leak through timing.
 * @returns true when equal; never throws.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null for any other value. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** The caller's identity, or null when anonymous. */
export function identityOf(res: Response): Identity | null {
  return (res.locals.identity as Identity | null | undefined) ?? null;
}
