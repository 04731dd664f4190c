/**
 * HTTP identity: `Authorization: Bearer <token>` verified like the socket handshake. No
 * header: an anonymous caller (`res.locals.identity = null`). A forged or expired token:
 * 401 `unauthorized`, on every route.
 */
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
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw refuse.unauthorized('Authorization must be "Bearer <token>"');
    res.locals.identity = await ids.verify(match[1]!);
    next();
  };
}

/** The caller's identity, or null when anonymous. */
export function identityOf(res: Response): Identity | null {
  return (res.locals.identity as Identity | null | undefined) ?? null;
}
