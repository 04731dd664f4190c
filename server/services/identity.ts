/**
 * Identity (docs/protocol.md, "Identity"): who is on the other end of a socket or request.
 *
 * Tokens are JWTs verified with jose: HS256 with `JWT_SECRET`, or an asymmetric algorithm
 * against `JWKS_URL`. Claims: `sub` (user id), `name`, `picture` (avatar URL), `roles`
 * (`host` | `moderator` | `winner`, which are also the user's badges), `rooms` (the private
 * rooms the user may enter). A connection without a token is a read-only guest when
 * `ALLOW_GUESTS=true`.
 *
 * Every token must carry `exp` (a token without one never expires, so it is refused); `exp`
 * and `nbf` are checked with {@link CLOCK_TOLERANCE_S} of tolerance for clock skew; `aud` and
 * `iss` must match `JWT_AUDIENCE` / `JWT_ISSUER` when those are set.
 */
import { randomBytes, createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { refuse } from '../errors.ts';
import { slugify } from './text.ts';
import { BADGES, type Badge, type UserRef } from 'live-chat-protocol';
import { idSchema } from 'live-chat-protocol/schemas';

/** The caller as the services see them. */
export interface Identity {
  user: UserRef;
  guest: boolean;
  roles: Badge[];
  /** Private rooms the token grants; empty for guests. */
  rooms: string[];
}

/** Lifetime of tokens minted by `POST /api/dev/token`: 12 h, in seconds. */
export const DEV_TOKEN_TTL_S = 12 * 3600;

/** Clock skew allowed when checking `exp` and `nbf`, in seconds. */
export const CLOCK_TOLERANCE_S = 30;

const claimsSchema = z.object({
  // A user id holding a control character or an unpaired surrogate could not be stored as
  // PostgreSQL text (NUL) or JSON (a lone surrogate): its token is refused.
  sub: idSchema(128),
  name: z.string().optional(),
  picture: z.string().optional(),
  roles: z.array(z.unknown()).optional(),
  rooms: z.array(z.string()).optional(),
});

const ALGORITHMS = ['HS256', 'RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** `http(s)` URLs only; anything else draws initials. */
function avatarUrl(picture: string | undefined): string | null {
  if (!picture) return null;
  try {
    const url = new URL(picture);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The dev-token user id for a display name: `dev-<slug>`, the same name giving the same id. */
export function devUserId(name: string): string {
  const slug = slugify(name);
  return `dev-${slug || createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** True for hosts and moderators: they may moderate, update rooms and run sessions. */
export function isStaff(identity: Identity): boolean {
  return identity.roles.includes('host') || identity.roles.includes('moderator');
}

export interface IdentityService {
  /**
   * Verifies a token and answers the identity it names.
   * @throws AppError `unauthorized` for a forged, expired or malformed token.
   */
  verify(token: string): Promise<Identity>;
  /**
   * The identity of a connection: the token's, or a fresh guest when there is none.
   * @throws AppError `unauthorized` for a bad token, or no token while guests are off.
   */
  authenticate(token: unknown): Promise<Identity>;
  /**
   * Mints an HS256 token for `name`, valid {@link DEV_TOKEN_TTL_S} (12 h); `sub` is
   * {@link devUserId}; `aud` / `iss` are `JWT_AUDIENCE` / `JWT_ISSUER` when set.
   */
  mintDevToken(name: string, roles: Badge[]): Promise<string>;
  /** Whether the identity may post and like (`GUEST_CAN_POST` for guests). */
  canPost(identity: Identity): boolean;
}

export function createIdentityService(config: Config, clock: () => number): IdentityService {
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : null;
  const jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') {
      if (secret) return secret;
    } else if (jwks) {
      return jwks(header, token);
    }
    throw new Error(`no key for alg ${header.alg}`);
  };

  async function verify(token: string): Promise<Identity> {
    try {
      const { payload } = await jwtVerify(token, keyFor, {
        algorithms: ALGORITHMS,
        currentDate: new Date(clock()),
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
        ...(config.jwtAudience ? { audience: config.jwtAudience } : {}),
        ...(config.jwtIssuer ? { issuer: config.jwtIssuer } : {}),
      });
      const claims = claimsSchema.parse(payload);
      const roles = BADGES.filter((b) => claims.roles?.includes(b));
      const name = claims.name?.trim().slice(0, 60) || claims.sub;
      return {
        user: { id: claims.sub, name, avatarUrl: avatarUrl(claims.picture), badges: roles },
        guest: false,
        roles,
        rooms: claims.rooms ?? [],
      };
    } catch {
      throw refuse.unauthorized('Invalid or expired token');
    }
  }

  return {
    verify,
    async authenticate(token) {
      if (typeof token === 'string' && token !== '') return verify(token);
      if (token !== undefined && token !== null && token !== '') throw refuse.unauthorized('Token must be a string');
      if (!config.allowGuests) throw refuse.unauthorized('Sign in to join');
      const tag = randomBytes(6).toString('hex');
      return {
        user: { id: `guest-${tag}`, name: `Guest ${parseInt(tag.slice(0, 4), 16) % 10000}`, avatarUrl: null, badges: [] },
        guest: true,
        roles: [],
        rooms: [],
      };
    },
    async mintDevToken(name, roles) {
      if (!secret) throw new Error('dev tokens need JWT_SECRET');
      const now = Math.floor(clock() / 1000);
      const jwt = new SignJWT({ name, roles })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(devUserId(name))
        .setIssuedAt(now)
        .setExpirationTime(now + DEV_TOKEN_TTL_S);
      if (config.jwtAudience) jwt.setAudience(config.jwtAudience);
      if (config.jwtIssuer) jwt.setIssuer(config.jwtIssuer);
      return jwt.sign(secret);
    },
    canPost(identity) {
      return !identity.guest || config.guestCanPost;
    },
  };
}

/**
 * The same identity service, calling `onRefused` each time `authenticate` refuses (a bad
 * token, or none while guests are off). `authenticate` is what the Socket.IO handshake calls,
 * so `server/app.ts` counts refused handshakes with it; `verify` (HTTP) is not counted.
 * @returns a new object; `ids` is not changed. Refusals are re-thrown unchanged.
 */
export function countingRefusals(ids: IdentityService, onRefused: () => void): IdentityService {
  return {
    ...ids,
    authenticate: (token) =>
      ids.authenticate(token).catch((err: unknown) => {
        onRefused();
        throw err;
      }),
  };
}
