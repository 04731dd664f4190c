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
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { DEFAULT_LIMITS } from 'live-chat-protocol';
import { z } from 'zod';

/** Fully resolved server settings. Durations carry their unit in the name. */
export interface Config {
  /** TCP port `cli.ts` listens on (0: any free port). */
  port: number;
  /** Interface `cli.ts` binds to. */
  host: string;
  /** Folder of the SQLite file `live-chat.db`; created when missing (see {@link prepareDataDir}). */
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
  /** Required `aud` of every token (and set on dev tokens); null: not checked. */
  jwtAudience: string | null;
  /** Required `iss` of every token (and set on dev tokens); null: not checked. */
  jwtIssuer: string | null;
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
  /**
   * `DATABASE_URL` (`postgres://` or `postgresql://`): the PostgreSQL ledger, shared by every
   * instance (docs/server.md, "Several instances"); null: the SQLite file in `dataDir`.
   */
  databaseUrl: string | null;
  /** Key for `POST /api/xp/events`; null disables the route (404). */
  xpApiKey: string | null;
  /** Bearer token `GET /metrics` requires; null: `/metrics` is open. */
  metricsToken: string | null;
  /** Serve the demo page (`/` and its files); the widget bundle is served either way. */
  serveDemo: boolean;
  /**
   * Express `trust proxy`: false (use the socket's address), true (trust every proxy), a hop
   * count, or proxy addresses / CIDRs / `loopback` `linklocal` `uniquelocal`.
   */
  trustProxy: boolean | number | string[];
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
  /** Reaction toggles per user per room per sliding minute (`REACTIONS_PER_MINUTE`). */
  reactionsPerMinute: number;
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
  /**
   * Viewers up to which a room gets per-user `presence:join` / `presence:leave` and `typing`
   * (coalesced); larger rooms get occupancy (`room:stats`) alone. 0: never.
   */
  smallRoomLimit: number;
  /**
   * Group commit: how long the first waiting chat message waits for others before they commit
   * in one ledger transaction, in ms (0: only those that arrived while the previous batch was
   * committing, or in the same turn of the event loop).
   */
  groupCommitMs: number;
  /** Group commit: at most this many messages per transaction; a full batch commits at once. */
  groupCommitMaxMessages: number;
  /** Leaderboard rows in the join ack and `leaderboard:update`. */
  leaderboardSize: number;
  /** How long a `typing:start` lasts without a new one, in ms. */
  typingTtlMs: number;
  /** With Redis: how often an instance tells the others it is alive, in ms. */
  presenceHeartbeatMs: number;
  /**
   * With Redis: an instance silent this long (ms) is taken for dead and its sockets are
   * removed from presence. At least twice `presenceHeartbeatMs`.
   */
  presenceTimeoutMs: number;
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
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// URL'),
  XP_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces'),
  SERVE_DEMO: bool,
  TRUST_PROXY: z.string().transform((raw, ctx) => {
    const parsed = parseTrustProxy(raw);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  }),
  JWT_AUDIENCE: text,
  JWT_ISSUER: text,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  MAX_MESSAGE_LENGTH: int(1, 100_000),
  MESSAGES_PER_MINUTE: int(1, 100_000),
  HISTORY_LIMIT: int(1, 1000),
  REPLAY_WINDOW: int(1, 100_000),
  ROOM_LIKES_PER_MINUTE: int(1, 100_000),
  REACTIONS_PER_MINUTE: int(1, 100_000),
  XP_PER_MESSAGE: int(0, 1_000_000),
  DAILY_XP_CAP: int(0, 1_000_000_000),
  COINS_PER_MESSAGE: int(0, 1_000_000),
  COIN_COOLDOWN_SECONDS: int(0, 365 * 24 * 3600),
  STATS_INTERVAL_MS: int(250, 60_000),
  SMALL_ROOM_LIMIT: int(0, 1_000_000),
  GROUP_COMMIT_MS: int(0, 1000),
  GROUP_COMMIT_MAX_MESSAGES: int(1, 10_000),
  LEADERBOARD_SIZE: int(1, 100),
  PRESENCE_HEARTBEAT_MS: int(100, 60_000),
  PRESENCE_TIMEOUT_MS: int(200, 3_600_000),
} as const;

type Variable = keyof typeof variables;
type Parsed = { [K in Variable]?: z.output<(typeof variables)[K]> };

/**
 * Reads the environment into a {@link Config}. Unset or empty variables take their default.
 *
 * @param env usually `process.env`; tests pass a plain object.
 * @throws {ConfigError} naming the first variable with a bad value, or `JWT_SECRET` when
 *   `NODE_ENV=production` and neither `JWT_SECRET` nor `JWKS_URL` is set, or `JWT_AUDIENCE` /
 *   `JWT_ISSUER` when `NODE_ENV=production` and `JWKS_URL` is set without them (a token an
 *   identity provider minted for another app would be accepted), or `PRESENCE_TIMEOUT_MS` when
 *   it is under twice `PRESENCE_HEARTBEAT_MS`. `DATA_DIR` is checked on
 *   disk by {@link prepareDataDir}, not here.
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
  if (production && v.JWKS_URL) {
    for (const name of ['JWT_AUDIENCE', 'JWT_ISSUER'] as const) {
      if (!v[name]) throw new ConfigError(name, 'required with JWKS_URL when NODE_ENV=production');
    }
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

  const presenceHeartbeatMs = v.PRESENCE_HEARTBEAT_MS ?? 5000;
  const presenceTimeoutMs = v.PRESENCE_TIMEOUT_MS ?? 30_000;
  if (presenceTimeoutMs < 2 * presenceHeartbeatMs) {
    // One late heartbeat must not get a live instance's viewers reaped.
    throw new ConfigError('PRESENCE_TIMEOUT_MS', `must be at least twice PRESENCE_HEARTBEAT_MS (${presenceHeartbeatMs} ms)`);
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
    jwtAudience: v.JWT_AUDIENCE ?? null,
    jwtIssuer: v.JWT_ISSUER ?? null,
    devTokens,
    allowGuests: v.ALLOW_GUESTS ?? !production,
    guestCanPost: v.GUEST_CAN_POST ?? false,
    corsOrigins,
    redisUrl: v.REDIS_URL ?? null,
    databaseUrl: v.DATABASE_URL ?? null,
    xpApiKey: v.XP_API_KEY ?? null,
    metricsToken: v.METRICS_TOKEN ?? null,
    serveDemo: v.SERVE_DEMO ?? !production,
    trustProxy: v.TRUST_PROXY ?? false,
    logLevel: v.LOG_LEVEL ?? 'info',
    maxMessageLength: v.MAX_MESSAGE_LENGTH ?? DEFAULT_LIMITS.maxMessageLength,
    messagesPerMinute: v.MESSAGES_PER_MINUTE ?? DEFAULT_LIMITS.messagesPerMinute,
    historyLimit: v.HISTORY_LIMIT ?? DEFAULT_LIMITS.historyLimit,
    replayWindow: v.REPLAY_WINDOW ?? DEFAULT_LIMITS.replayWindow,
    roomLikesPerMinute: v.ROOM_LIKES_PER_MINUTE ?? DEFAULT_LIMITS.roomLikesPerMinute,
    reactionsPerMinute: v.REACTIONS_PER_MINUTE ?? DEFAULT_LIMITS.reactionsPerMinute,
    xpPerMessage: v.XP_PER_MESSAGE ?? DEFAULT_LIMITS.xpPerMessage,
    dailyXpCap: v.DAILY_XP_CAP ?? DEFAULT_LIMITS.dailyXpCap,
    coinsPerMessage: v.COINS_PER_MESSAGE ?? DEFAULT_LIMITS.coinsPerMessage,
    coinCooldownSeconds: v.COIN_COOLDOWN_SECONDS ?? DEFAULT_LIMITS.coinCooldownSeconds,
    statsIntervalMs: v.STATS_INTERVAL_MS ?? 250,
    smallRoomLimit: v.SMALL_ROOM_LIMIT ?? DEFAULT_LIMITS.smallRoomLimit,
    groupCommitMs: v.GROUP_COMMIT_MS ?? 0,
    groupCommitMaxMessages: v.GROUP_COMMIT_MAX_MESSAGES ?? 64,
    leaderboardSize: v.LEADERBOARD_SIZE ?? DEFAULT_LIMITS.leaderboardSize,
    typingTtlMs: 5000,
    presenceHeartbeatMs,
    presenceTimeoutMs,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads `TRUST_PROXY` into Express's `trust proxy` setting.
 * @param raw `true` / `false`, a hop count 0..64 (0 is `false`), or a comma list of IP
 *   addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`) and the names `loopback`, `linklocal`,
 *   `uniquelocal`.
 * @returns the setting, or a string saying what is wrong (never throws).
 */
function parseTrustProxy(raw: string): boolean | number | string[] | string {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 64) return 'a hop count must be 0..64';
    return hops === 0 ? false : hops;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return 'expected true, false, a hop count or addresses';
  for (const entry of entries) {
    if (PROXY_NAMES.has(entry)) continue;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !prefixOk || extra !== undefined) {
      return `"${entry}" is not true, false, a hop count, an IP address, a CIDR or loopback/linklocal/uniquelocal`;
    }
  }
  return entries;
}

/**
 * Settings that start but deserve a warning in the start-up log (pure; `createServer` logs
 * each at `warn`).
 * @returns one sentence per problem; empty when none. Today: `REDIS_URL` with the SQLite
 *   ledger ("one host only": Redis shares broadcasts and hot state between instances, but
 *   each instance would keep its own SQLite file, so seqs, awards and likes would split; use
 *   `DATABASE_URL` for several instances).
 */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.redisUrl && !config.databaseUrl) {
    warnings.push(
      'REDIS_URL is set with the SQLite ledger: one host only. Every instance keeps its own SQLite file, so instances on ' +
        'several hosts would split seqs, awards and likes; set DATABASE_URL (PostgreSQL) to run several instances',
    );
  }
  return warnings;
}

/** What an fs error code means, for a person reading the start-up error. */
function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'unknown error';
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'this file system does not allow it',
    EISDIR: 'it is a folder',
    ENOSPC: 'no space left on the device',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the path is too long',
  };
  return `${code}: ${reasons[code] ?? 'unexpected error'}`;
}

/**
 * Makes sure `DATA_DIR` is a folder this process can write, creating missing folders, before
 * SQLite opens `live-chat.db` in it. Only quick synchronous fs calls: it never uses
 * `mkdirSync(…, { recursive: true })`, which on Node 20 loops forever where `mkdir` answers
 * ENOENT under an existing folder (`/proc/nope`). Folders are created one level at a time.
 *
 * @param dataDir `config.dataDir`, relative to the working directory or absolute.
 * @throws {ConfigError} `DATA_DIR` saying what is wrong: a file instead of a folder, a part of
 *   the path that is a file, a folder that cannot be created or written (a probe file is
 *   created and removed), or an existing `live-chat.db` that is not a writable file.
 */
export function prepareDataDir(dataDir: string): void {
  const full = path.resolve(dataDir);
  const fail = (why: string): never => {
    throw new ConfigError('DATA_DIR', `${dataDir} ${why}`);
  };
  const stat = (p: string): Stats | null => {
    try {
      return statSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return fail(`cannot be reached (${fsReason(err)})`);
    }
  };

  const missing: string[] = [];
  for (let at = full; ; at = path.dirname(at)) {
    const found = stat(at);
    if (found) {
      if (!found.isDirectory()) fail(at === full ? 'is a file, not a folder' : `cannot be created: ${at} is a file, not a folder`);
      break;
    }
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && stat(dir)?.isDirectory()) continue;
      fail(`cannot be created (mkdir ${dir}: ${fsReason(err)})`);
    }
  }

  const probe = path.join(full, `.live-chat-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe, { force: true });
  } catch (err) {
    fail(`is not writable (${fsReason(err)})`);
  }
  const db = path.join(full, 'live-chat.db');
  const dbStat = stat(db);
  if (dbStat && !dbStat.isFile()) fail(`holds live-chat.db, which is not a file`);
  if (dbStat) {
    try {
      closeSync(openSync(db, 'r+'));
    } catch (err) {
      fail(`holds live-chat.db, which cannot be opened for writing (${fsReason(err)})`);
    }
  }
}
