/**
 * The Redis {@link HotStore} (ioredis), for several server processes sharing hot state:
 * rate windows, leaderboard caches, presence, typing and the recent-message
 * window. Every multi-step operation is one Lua script, so each call is atomic in Redis just
 * like a memory-store call is atomic in one process. It passes the same contract suite
 * (`test/server/stores/hot-store.contract.ts`).
 *
 * Times come from the caller's clock (arguments), never from Redis; Redis expiry (PEXPIRE,
 * relative, generous) only cleans up keys nobody touches any more. All keys start with
 * `prefix` (default `lc:`) and are assumed to live on one Redis node (no Cluster hash tags).
 */
import { Redis } from 'ioredis';
import type { Message, UserRef } from 'live-chat-protocol';
import { randomUUID } from 'node:crypto';
import { presenceKey, type HotStore, type PresenceEntry, type RateCheck, type RateResult, type ScoreEntry } from './hot-store.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Cache keys (leaderboards, recent window) are dropped after this long unused. */
const CACHE_TTL_MS = 7 * DAY_MS;

const TAKE_RATE = `
local now = tonumber(ARGV[1])
local n = #KEYS - 1
for i = 1, n do
  local limit = tonumber(ARGV[3 * i - 1])
  local window = tonumber(ARGV[3 * i])
  local weight = tonumber(ARGV[3 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count + weight > limit then
    local retry = window
    if weight <= limit then
      local at = count + weight - limit - 1
      local oldest = redis.call('ZRANGE', KEYS[i], at, at, 'WITHSCORES')
      retry = tonumber(oldest[2]) + window - now
    end
    if retry < 1 then retry = 1 end
    return {0, i - 1, retry}
  end
end
local id = redis.call('INCR', KEYS[n + 1])
for i = 1, n do
  local window = tonumber(ARGV[3 * i])
  local weight = tonumber(ARGV[3 * i + 1])
  for w = 1, weight do
    redis.call('ZADD', KEYS[i], now, id .. ':' .. w)
  end
  redis.call('PEXPIRE', KEYS[i], 2 * window + 60000)
end
return {1}
`;

/** KEYS: ranking zset, lastSeq hash, member hash, entry hash, loaded flag. */
const UPSERT_BODY = `
local function upsert(user, lastSeq, member, json)
  local current = redis.call('HGET', KEYS[2], user)
  if current and tonumber(current) > tonumber(lastSeq) then return end
  local old = redis.call('HGET', KEYS[3], user)
  if old then redis.call('ZREM', KEYS[1], old) end
  redis.call('ZADD', KEYS[1], 0, member)
  redis.call('HSET', KEYS[2], user, lastSeq)
  redis.call('HSET', KEYS[3], user, member)
  redis.call('HSET', KEYS[4], user, json)
end
local function touch(ttl)
  for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
`;
const UPSERT_SCORE = `${UPSERT_BODY}
upsert(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
touch(ARGV[1])
return 1
`;
const LOAD_LEADERBOARD = `${UPSERT_BODY}
for i = 2, #ARGV, 4 do upsert(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]) end
redis.call('SET', KEYS[5], '1')
touch(ARGV[1])
return 1
`;
/** Member layout: 16-digit (MAX − coins), 16-digit (MAX − messages), 16-digit lastSeq, user id. */
const MEMBER_USER_OFFSET = 3 * 17 + 1;
const TOP_SCORES = `
if redis.call('EXISTS', KEYS[5]) == 0 then return false end
local members = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local out = {}
for _, member in ipairs(members) do
  table.insert(out, redis.call('HGET', KEYS[4], string.sub(member, ${MEMBER_USER_OFFSET})))
end
return out
`;

/**
 * Presence: per (room, user) a set of socket ids (`presence:<room>:s:<user>`), per room a hash
 * user → UserRef JSON (`presence:<room>:users`, its length is the occupancy), and per instance
 * a set of its entries ({@link presenceKey} strings, `instance:<id>:presence`), so that the
 * entries of an instance that died can be reaped. The keys of an entry are derived from it in
 * Lua (one Redis node, as above). Every key expires a day after it was last written, the
 * backstop when no instance is left to reap.
 */
const PRESENCE_BODY = `
local prefix = ARGV[1]
local function keys(entry)
  local e = cjson.decode(entry)
  return prefix .. 'presence:' .. e[1] .. ':s:' .. e[2], prefix .. 'presence:' .. e[1] .. ':users', e[2], e[3]
end
-- Adds an entry; true when it is the user's first socket in the room.
local function enter(entry, user)
  local sockets, users, userId, socketId = keys(entry)
  local before = redis.call('SCARD', sockets)
  redis.call('SADD', sockets, socketId)
  if before == 0 then redis.call('HSET', users, userId, user) end
  redis.call('PEXPIRE', sockets, ${DAY_MS})
  redis.call('PEXPIRE', users, ${DAY_MS})
  return before == 0
end
-- Removes an entry; the user's JSON when it was their last socket in the room, else nil.
local function leave(entry)
  local sockets, users, userId, socketId = keys(entry)
  if redis.call('SREM', sockets, socketId) == 0 then return nil end
  if redis.call('SCARD', sockets) > 0 then return nil end
  local user = redis.call('HGET', users, userId)
  redis.call('HDEL', users, userId)
  return user or nil
end
`;
/** KEYS: this instance's entries. ARGV: prefix, entry, user JSON. */
const ADD_PRESENCE = `${PRESENCE_BODY}
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ${DAY_MS})
return enter(ARGV[2], ARGV[3]) and 1 or 0
`;
/** KEYS: this instance's entries. ARGV: prefix, entry. */
const REMOVE_PRESENCE = `${PRESENCE_BODY}
redis.call('SREM', KEYS[1], ARGV[2])
return leave(ARGV[2]) and 1 or 0
`;
/** KEYS: this instance's entries. ARGV: prefix, then (entry, user JSON) pairs: what it holds now. */
const SYNC_PRESENCE = `${PRESENCE_BODY}
local wanted = {}
for i = 2, #ARGV, 2 do wanted[ARGV[i]] = true end
local left, joined = {}, {}
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not wanted[entry] then
    redis.call('SREM', KEYS[1], entry)
    local user = leave(entry)
    if user then table.insert(left, entry); table.insert(left, user) end
  end
end
for i = 2, #ARGV, 2 do
  redis.call('SADD', KEYS[1], ARGV[i])
  if enter(ARGV[i], ARGV[i + 1]) then table.insert(joined, ARGV[i]); table.insert(joined, ARGV[i + 1]) end
end
redis.call('PEXPIRE', KEYS[1], ${DAY_MS})
return {joined, left}
`;
/**
 * KEYS: instances zset (id → last heartbeat, ms), watch hash (id → when its current run of
 * heartbeats began, ms). ARGV: prefix, this instance's id, now, timeout.
 *
 * Reaps every instance that has been silent for the timeout *while this one watched*: its
 * last heartbeat, or the start of this one's current run of heartbeats if later, is older than
 * the timeout. A run breaks when a heartbeat comes more than the timeout after the previous
 * one. So after a Redis outage, when every instance is late, none takes the others for dead
 * before they have had the timeout to say otherwise; an instance that died during the outage
 * is reaped the timeout after Redis returned.
 */
const HEARTBEAT = `${PRESENCE_BODY}
local id, now, timeout = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local last = redis.call('ZSCORE', KEYS[1], id)
local since = tonumber(redis.call('HGET', KEYS[2], id))
if last == false or since == nil or now - tonumber(last) > timeout then
  since = now
  redis.call('HSET', KEYS[2], id, now)
end
redis.call('ZADD', KEYS[1], now, id)
for i = 1, 2 do redis.call('PEXPIRE', KEYS[i], ${DAY_MS}) end
redis.call('PEXPIRE', prefix .. 'instance:' .. id .. ':presence', ${DAY_MS})
local left = {}
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - timeout))) do
  if now - math.max(tonumber(redis.call('ZSCORE', KEYS[1], dead)), since) > timeout then
    local index = prefix .. 'instance:' .. dead .. ':presence'
    for _, entry in ipairs(redis.call('SMEMBERS', index)) do
      local user = leave(entry)
      if user then table.insert(left, entry); table.insert(left, user) end
    end
    redis.call('DEL', index)
    redis.call('ZREM', KEYS[1], dead)
    redis.call('HDEL', KEYS[2], dead)
  end
end
return {last == false and 0 or 1, left}
`;

/** KEYS: until zset, start-order zset, users hash, counter. */
const SET_TYPING = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if redis.call('ZSCORE', KEYS[2], ARGV[1]) == false then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], 3600000) end
return 1
`;
const CLEAR_TYPING = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`;
const TYPING_USERS = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, user in ipairs(expired) do
  redis.call('ZREM', KEYS[1], user)
  redis.call('ZREM', KEYS[2], user)
  redis.call('HDEL', KEYS[3], user)
end
local users = redis.call('ZRANGE', KEYS[2], 0, -1)
if #users == 0 then return {} end
return redis.call('HMGET', KEYS[3], unpack(users))
`;

/**
 * KEYS: seq zset, seq → JSON hash, id → seq hash, seq → id hash. ARGV[2] is the prefix of
 * the per-message patch hashes (`<prefix><messageId>`: field → JSON value).
 */
const PUSH_RECENT = `
local max = tonumber(ARGV[1])
local patches = ARGV[2]
local function drop(seq)
  local id = redis.call('HGET', KEYS[4], seq)
  redis.call('ZREM', KEYS[1], seq)
  redis.call('HDEL', KEYS[2], seq)
  redis.call('HDEL', KEYS[4], seq)
  if id then
    redis.call('HDEL', KEYS[3], id)
    redis.call('DEL', patches .. id)
  end
end
for i = 3, #ARGV, 3 do
  local seq, id, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('HEXISTS', KEYS[4], seq) == 1 then drop(seq) end
  redis.call('ZADD', KEYS[1], seq, seq)
  redis.call('HSET', KEYS[2], seq, json)
  redis.call('HSET', KEYS[3], id, seq)
  redis.call('HSET', KEYS[4], seq, id)
end
local extra = redis.call('ZCARD', KEYS[1]) - max
if extra > 0 then
  for _, seq in ipairs(redis.call('ZRANGE', KEYS[1], 0, extra - 1)) do drop(seq) end
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ${CACHE_TTL_MS}) end
return 1
`;
const RECENT_SINCE = `
local out = {}
for _, seq in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')) do
  local id = redis.call('HGET', KEYS[4], seq)
  table.insert(out, redis.call('HGET', KEYS[2], seq))
  if id then table.insert(out, redis.call('HGETALL', ARGV[2] .. id)) else table.insert(out, {}) end
end
return out
`;
const PATCH_RECENT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local key = ARGV[2] .. ARGV[1]
for i = 3, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', key, ${CACHE_TTL_MS})
return 1
`;

type ScriptRunner = (keys: string[], args: (string | number)[]) => Promise<unknown>;

const pad = (n: number) => String(Math.max(0, Math.floor(n))).padStart(16, '0');
const MAX = 1e15;
/** Sorts lexicographically in {@link compareScores} order. */
const memberOf = (e: ScoreEntry) => `${pad(MAX - e.coins)}:${pad(MAX - e.messages)}:${pad(e.lastSeq)}:${e.userId}`;

export interface RedisHotStoreOptions {
  /** Key prefix; default `lc:`. */
  prefix?: string;
  /** This instance's id among those sharing the Redis (presence reaping); default a random UUID. */
  instanceId?: string;
}

/** `[entry, user JSON, …]` from a presence script → entries. */
function presenceEntries(flat: string[]): PresenceEntry[] {
  const out: PresenceEntry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const [roomId, , socketId] = JSON.parse(flat[i]!) as [string, string, string];
    out.push({ roomId, user: JSON.parse(flat[i + 1]!) as UserRef, socketId });
  }
  return out;
}

/**
 * Connects to Redis at `url` and builds the store. Commands fail fast (2 retries) while
 * Redis is down, so a handler answers `internal` instead of hanging; `close()` quits.
 */
export function createRedisHotStore(url: string, options: RedisHotStoreOptions = {}): HotStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', () => {
    /* surfaced by the failing command and /ready; avoid unhandled 'error' events */
  });
  const p = options.prefix ?? 'lc:';
  const instanceId = options.instanceId ?? randomUUID();

  /** Registers a Lua script (EVALSHA, falling back to EVAL) and returns its runner. */
  const script = (name: string, lua: string): ScriptRunner => {
    redis.defineCommand(name, { lua });
    return (keys, args) =>
      (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(keys.length, ...keys, ...args);
  };
  const takeRate = script('lcTakeRate', TAKE_RATE);
  const upsertScore = script('lcUpsertScore', UPSERT_SCORE);
  const loadLeaderboard = script('lcLoadLeaderboard', LOAD_LEADERBOARD);
  const topScores = script('lcTopScores', TOP_SCORES);
  const addPresence = script('lcAddPresence', ADD_PRESENCE);
  const removePresence = script('lcRemovePresence', REMOVE_PRESENCE);
  const syncPresence = script('lcSyncPresence', SYNC_PRESENCE);
  const heartbeat = script('lcHeartbeat', HEARTBEAT);
  const setTyping = script('lcSetTyping', SET_TYPING);
  const clearTyping = script('lcClearTyping', CLEAR_TYPING);
  const typingUsers = script('lcTypingUsers', TYPING_USERS);
  const pushRecent = script('lcPushRecent', PUSH_RECENT);
  const recentSince = script('lcRecentSince', RECENT_SINCE);
  const patchRecent = script('lcPatchRecent', PATCH_RECENT);

  const k = {
    rate: (key: string) => `${p}rate:${key}`,
    rateSeq: `${p}rate:#seq`,
    board: (sessionId: string) =>
      ['z', 'seq', 'member', 'entry', 'loaded'].map((part) => `${p}lb:${sessionId}:${part}`),
    /** The room's users hash (as PRESENCE_BODY names it). */
    presenceUsers: (roomId: string) => `${p}presence:${roomId}:users`,
    ownPresence: `${p}instance:${instanceId}:presence`,
    instances: `${p}instances`,
    watching: `${p}instances:since`,
    typing: (roomId: string) => ['until', 'order', 'users', 'n'].map((part) => `${p}typing:${roomId}:${part}`),
    recent: (roomId: string) => ['z', 'msg', 'id', 'seq'].map((part) => `${p}recent:${roomId}:${part}`),
    patches: (roomId: string) => `${p}recent:${roomId}:patch:`,
  };

  return {
    async ping() {
      const answer = await Promise.race([
        redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('redis ping timed out')), 1000).unref()),
      ]);
      if (answer !== 'PONG') throw new Error(`redis answered ${answer}`);
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },

    async takeRate(checks: RateCheck[], now: number): Promise<RateResult> {
      const answer = (await takeRate(
        [...checks.map((c) => k.rate(c.key)), k.rateSeq],
        [now, ...checks.flatMap((c) => [c.limit, c.windowMs, c.weight ?? 1])],
      )) as number[];
      return answer[0] === 1 ? { allowed: true } : { allowed: false, index: answer[1]!, retryAfterMs: answer[2]! };
    },

    async loadLeaderboard(sessionId, entries) {
      await loadLeaderboard(k.board(sessionId), [
        CACHE_TTL_MS,
        ...entries.flatMap((e) => [e.userId, e.lastSeq, memberOf(e), JSON.stringify(e)]),
      ]);
    },
    async upsertScore(sessionId, entry) {
      await upsertScore(k.board(sessionId), [CACHE_TTL_MS, entry.userId, entry.lastSeq, memberOf(entry), JSON.stringify(entry)]);
    },
    async topScores(sessionId, n) {
      const answer = (await topScores(k.board(sessionId), [n])) as (string | null)[] | null;
      if (answer === null) return null;
      return answer.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as ScoreEntry);
    },

    async addPresence(roomId, user, socketId) {
      const first = await addPresence([k.ownPresence], [p, presenceKey(roomId, user.id, socketId), JSON.stringify(user)]);
      return { first: first === 1 };
    },
    async removePresence(roomId, userId, socketId) {
      const last = await removePresence([k.ownPresence], [p, presenceKey(roomId, userId, socketId)]);
      return { last: last === 1 };
    },
    async occupancy(roomId) {
      return redis.hlen(k.presenceUsers(roomId));
    },
    async syncPresence(entries) {
      const pairs = entries.flatMap((e) => [presenceKey(e.roomId, e.user.id, e.socketId), JSON.stringify(e.user)]);
      const [joined, left] = (await syncPresence([k.ownPresence], [p, ...pairs])) as [string[], string[]];
      return { joined: presenceEntries(joined), left: presenceEntries(left) };
    },
    async heartbeat(now, timeoutMs) {
      const [known, left] = (await heartbeat([k.instances, k.watching], [p, instanceId, now, timeoutMs])) as [number, string[]];
      return { known: known === 1, left: presenceEntries(left) };
    },

    async setTyping(roomId, user, until) {
      await setTyping(k.typing(roomId), [user.id, until, JSON.stringify(user)]);
    },
    async clearTyping(roomId, userId) {
      await clearTyping(k.typing(roomId), [userId]);
    },
    async typingUsers(roomId, now) {
      const answer = (await typingUsers(k.typing(roomId), [now])) as (string | null)[];
      return answer.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as UserRef);
    },

    async pushRecent(roomId, messages, max) {
      if (messages.length === 0) return;
      await pushRecent(k.recent(roomId), [
        max,
        k.patches(roomId),
        ...messages.flatMap((m) => [m.seq, m.id, JSON.stringify(m)]),
      ]);
    },
    async recentSince(roomId, sinceSeq) {
      const answer = (await recentSince(k.recent(roomId), [sinceSeq, k.patches(roomId)])) as (string | string[])[];
      const messages: Message[] = [];
      for (let i = 0; i < answer.length; i += 2) {
        const message = JSON.parse(answer[i] as string) as Record<string, unknown>;
        const patch = answer[i + 1] as string[];
        for (let j = 0; j < patch.length; j += 2) {
          // An empty value (never JSON) is a field the patch removed.
          if (patch[j + 1] === '') delete message[patch[j]!];
          else message[patch[j]!] = JSON.parse(patch[j + 1]!);
        }
        messages.push(message as unknown as Message);
      }
      return messages;
    },
    async patchRecent(roomId, messageId, patch) {
      const pairs = Object.entries(patch).flatMap(([field, value]) => [field, value === undefined ? '' : JSON.stringify(value)]);
      if (pairs.length === 0) return;
      await patchRecent([k.recent(roomId)[2]!], [messageId, k.patches(roomId), ...pairs]);
    },
  };
}
