/**
 * Server configuration: environment variables → one typed, validated {@link Config}.
 *
 * This is the only place that reads settings; the rules' defaults are `DEFAULT_LIMITS` of live-chat-protocol. Every
 * variable, its default and its meaning is listed in `docs/server.md`. A bad value throws a
 * {@link ConfigError} whose message names the variable; `server/cli.ts` prints it and exits 1.
 *
 * Tests build a config with `loadConfig({ DATA_DIR: tmp, LOG_LEVEL: 'silent' })` and may then
 * override fields directly (`{ ...config, messagesPerMinute: 1000 }`).
 */
import { DEFAULT_LIMITS } from 'live-chat-protocol';
import { z } from 'zod';

/** Fully resolved server settings. Durations carry their unit in the name. */
export interface Config {
  /** TCP port `cli.ts` listens on (0: any free port). */
  port: number;
  /** Interface `cli.ts` binds to. */
  host: string;
  /** Folder of the SQLite file `live-chat.db`; created when missing. */
  dataDir: string;
  /**
   * SQLite `synchronous` in WAL mode. NORMAL: a commit survives a crash of the process
   * (kill -9) but the last commits may be lost on power loss; FULL: fsync per commit, also
   * survives power loss, at a few ms per message.
   */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  nodeEnv: string;
  production: boolean;
  /** HS256 secret for tokens (and the dev tokens this server mints); null: HS256 refused. */
  jwtSecret: string | null;
  /** Optional JWKS endpoint for asymmetric tokens from an identity provider. */
  jwksUrl: string | null;
  /** Enables `POST /api/dev/token`. */
  devTokens: boolean;
  /** A connection without a token gets a read-only guest identity. */
  allowGuests: boolean;
  /** Guests may post (and like) too. */
  guestCanPost: boolean;
  /** Origins allowed cross-origin: `'*'` for any, or a list (empty: same origin only). */
  corsOrigins: '*' | string[];
  /** Redis URL: hot state in Redis and the Socket.IO Redis adapter (several instances); null: memory. */
  redisUrl: string | null;
  /** Key for `POST /api/xp/events`; null disables the route (404). */
  xpApiKey: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Longest message, in characters (code points) after trim. */
  maxMessageLength: number;
  /** Messages one user may send in one room per sliding minute. */
  messagesPerMinute: number;
  /** Messages the join ack carries (the last N). */
  historyLimit: number;
  /** Messages per room kept for `sinceSeq` replay; older → `gap: true`. */
  replayWindow: number;
  /** Hearts (`room:like` counts) one user may give one room per sliding minute. */
  roomLikesPerMinute: number;
  /** XP per chat message. */
  xpPerMessage: number;
  /** Chat XP a user can earn per UTC day. */
  dailyXpCap: number;
  /** Coins per chat message (when the cooldown allows). */
  coinsPerMessage: number;
  /** Seconds between two coin awards of one user. */
  coinCooldownSeconds: number;
  /** Coalescing interval of `room:stats` and `leaderboard:update`, per room, in ms. */
  statsIntervalMs: number;
  /** Leaderboard rows in the join ack and `leaderboard:update`. */
  leaderboardSize: number;
  /** How long a `typing:start` lasts without a new one, in ms. */
  typingTtlMs: number;
}

/** A setting could not be read; `variable` is the environment variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The development JWT secret, used only when NODE_ENV is not `production`. */
export const DEV_JWT_SECRET = 'live-chat-dev-secret-do-not-use-in-production';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const text = z.string().trim().min(1);

/** One entry per variable: its schema (over the raw string) and its default. */
const variables = {
  PORT: int(0, 65535),
  HOST: text,
  DATA_DIR: text,
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL', 'normal', 'full']).transform((v) => v.toUpperCase() as 'NORMAL' | 'FULL'),
  NODE_ENV: text,
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters'),
  JWKS_URL: z.url(),
  DEV_TOKENS: bool,
  ALLOW_GUESTS: bool,
  GUEST_CAN_POST: bool,
  CORS_ORIGINS: text,
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis:// or rediss:// URL'),
  XP_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  MAX_MESSAGE_LENGTH: int(1, 100_000),
  MESSAGES_PER_MINUTE: int(1, 100_000),
  HISTORY_LIMIT: int(1, 1000),
  REPLAY_WINDOW: int(1, 100_000),
  ROOM_LIKES_PER_MINUTE: int(1, 100_000),
  XP_PER_MESSAGE: int(0, 1_000_000),
  DAILY_XP_CAP: int(0, 1_000_000_000),
  COINS_PER_MESSAGE: int(0, 1_000_000),
  COIN_COOLDOWN_SECONDS: int(0, 365 * 24 * 3600),
  STATS_INTERVAL_MS: int(250, 60_000),
  LEADERBOARD_SIZE: int(1, 100),
} as const;

type Variable = keyof typeof variables;
type Parsed = { [K in Variable]?: z.output<(typeof variables)[K]> };

/**
 * Reads the environment into a {@link Config}. Unset or empty variables take their default.
 *
 * @param env usually `process.env`; tests pass a plain object.
 * @throws {ConfigError} naming the first variable with a bad value, or `JWT_SECRET` when
 *   `NODE_ENV=production` and neither `JWT_SECRET` nor `JWKS_URL` is set.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const v: Parsed = {};
  for (const name of Object.keys(variables) as Variable[]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const result = variables[name].safeParse(raw.trim());
    if (!result.success) throw new ConfigError(name, result.error.issues[0]?.message ?? 'invalid value');
    (v as Record<string, unknown>)[name] = result.data;
  }

  const nodeEnv = v.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  if (production && !v.JWT_SECRET && !v.JWKS_URL) {
    throw new ConfigError('JWT_SECRET', 'required when NODE_ENV=production (or set JWKS_URL)');
  }
  const jwtSecret = v.JWT_SECRET ?? (production ? null : DEV_JWT_SECRET);
  const devTokens = v.DEV_TOKENS ?? !production;
  if (devTokens && jwtSecret === null) throw new ConfigError('DEV_TOKENS', 'needs JWT_SECRET to sign dev tokens');
  const rawOrigins = v.CORS_ORIGINS ?? (production ? '' : '*');
  const corsOrigins =
    rawOrigins === '*'
      ? ('*' as const)
      : rawOrigins
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter(Boolean);
  for (const origin of corsOrigins === '*' ? [] : corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin like https://example.com`);
    }
  }

  return {
    port: v.PORT ?? 3000,
    host: v.HOST ?? '0.0.0.0',
    dataDir: v.DATA_DIR ?? './data',
    sqliteSynchronous: v.SQLITE_SYNCHRONOUS ?? 'NORMAL',
    nodeEnv,
    production,
    jwtSecret,
    jwksUrl: v.JWKS_URL ?? null,
    devTokens,
    allowGuests: v.ALLOW_GUESTS ?? !production,
    guestCanPost: v.GUEST_CAN_POST ?? false,
    corsOrigins,
    redisUrl: v.REDIS_URL ?? null,
    xpApiKey: v.XP_API_KEY ?? null,
    logLevel: v.LOG_LEVEL ?? 'info',
    maxMessageLength: v.MAX_MESSAGE_LENGTH ?? DEFAULT_LIMITS.maxMessageLength,
    messagesPerMinute: v.MESSAGES_PER_MINUTE ?? DEFAULT_LIMITS.messagesPerMinute,
    historyLimit: v.HISTORY_LIMIT ?? DEFAULT_LIMITS.historyLimit,
    replayWindow: v.REPLAY_WINDOW ?? DEFAULT_LIMITS.replayWindow,
    roomLikesPerMinute: v.ROOM_LIKES_PER_MINUTE ?? DEFAULT_LIMITS.roomLikesPerMinute,
    xpPerMessage: v.XP_PER_MESSAGE ?? DEFAULT_LIMITS.xpPerMessage,
    dailyXpCap: v.DAILY_XP_CAP ?? DEFAULT_LIMITS.dailyXpCap,
    coinsPerMessage: v.COINS_PER_MESSAGE ?? DEFAULT_LIMITS.coinsPerMessage,
    coinCooldownSeconds: v.COIN_COOLDOWN_SECONDS ?? DEFAULT_LIMITS.coinCooldownSeconds,
    statsIntervalMs: v.STATS_INTERVAL_MS ?? 250,
    leaderboardSize: v.LEADERBOARD_SIZE ?? DEFAULT_LIMITS.leaderboardSize,
    typingTtlMs: 5000,
  };
}
