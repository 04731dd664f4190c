/**
 * The in-memory {@link HotStore}: the reference implementation, for one server process.
 * Every method finishes synchronously inside its promise, so each call is atomic.
 *
 * Memory stays bounded: rate windows and typing entries are pruned when touched and swept
 * every few thousand calls; at most {@link MAX_LEADERBOARDS} session leaderboards are cached
 * (the oldest is dropped and reloaded from the ledger when needed).
 */
import { compareScores, type Message, type UserRef } from 'live-chat-protocol';
import { presenceKey, type HotStore, type PresenceChanges, type RateCheck, type RateResult, type ScoreEntry } from './hot-store.ts';

const MAX_LEADERBOARDS = 1000;

/**
 * A deep copy of plain JSON data (the wire types: objects, arrays, primitives), frozen at
 * every level. The recent window stores such copies once, when a message comes in, and hands
 * the same objects to every join (100 messages each) instead of copying them per join (that
 * copy was 40% of a join's service time, bench: join storm). Nothing can change them: a
 * patch replaces the message.
 */
function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(out) as T;
}
const SWEEP_EVERY = 5000;

interface Board {
  loaded: boolean;
  entries: Map<string, ScoreEntry>;
}

/** Builds an empty in-memory hot store. */
export function createMemoryHotStore(): HotStore {
  /** key → hit times (ms), one element per weight unit, oldest first. */
  const rates = new Map<string, { windowMs: number; hits: number[] }>();
  const boards = new Map<string, Board>();
  /** room → user → { user, sockets } */
  const presence = new Map<string, Map<string, { user: UserRef; sockets: Set<string> }>>();
  /** Adds a socket; true when it is the user's first in the room. */
  const enter = (roomId: string, user: UserRef, socketId: string): boolean => {
    let users = presence.get(roomId);
    if (!users) presence.set(roomId, (users = new Map()));
    let entry = users.get(user.id);
    const first = !entry;
    if (!entry) users.set(user.id, (entry = { user, sockets: new Set() }));
    entry.sockets.add(socketId);
    return first;
  };
  /** Removes a socket; true when it was the user's last in the room. */
  const exit = (roomId: string, userId: string, socketId: string): boolean => {
    const users = presence.get(roomId);
    const entry = users?.get(userId);
    if (!users || !entry || !entry.sockets.delete(socketId)) return false;
    if (entry.sockets.size > 0) return false;
    users.delete(userId);
    if (users.size === 0) presence.delete(roomId);
    return true;
  };
  /** room → user → { user, until } in insertion order */
  const typing = new Map<string, Map<string, { user: UserRef; until: number }>>();
  /** room → messages sorted by seq */
  const recent = new Map<string, Message[]>();
  let calls = 0;
  let closed = false;

  const prune = (hits: number[], now: number, windowMs: number) => {
    let drop = 0;
    while (drop < hits.length && hits[drop]! <= now - windowMs) drop++;
    if (drop > 0) hits.splice(0, drop);
  };

  /** Drops empty rate windows and expired typing entries. */
  const sweep = (now: number) => {
    for (const [key, w] of rates) {
      prune(w.hits, now, w.windowMs);
      if (w.hits.length === 0) rates.delete(key);
    }
    for (const [roomId, users] of typing) {
      for (const [userId, t] of users) if (t.until <= now) users.delete(userId);
      if (users.size === 0) typing.delete(roomId);
    }
  };
  const tick = (now: number) => {
    if (++calls % SWEEP_EVERY === 0) sweep(now);
  };

  const board = (sessionId: string): Board => {
    let b = boards.get(sessionId);
    if (!b) {
      b = { loaded: false, entries: new Map() };
      boards.set(sessionId, b);
      if (boards.size > MAX_LEADERBOARDS) boards.delete(boards.keys().next().value!);
    }
    return b;
  };
  const merge = (b: Board, e: ScoreEntry) => {
    const current = b.entries.get(e.userId);
    if (!current || current.lastSeq <= e.lastSeq) b.entries.set(e.userId, { ...e });
  };

  return {
    async ping() {
      if (closed) throw new Error('hot store is closed');
    },
    async close() {
      closed = true;
    },

    async takeRate(checks: RateCheck[], now: number): Promise<RateResult> {
      tick(now);
      const windows = checks.map((c) => {
        let w = rates.get(c.key);
        if (!w) {
          w = { windowMs: c.windowMs, hits: [] };
          rates.set(c.key, w);
        }
        w.windowMs = Math.max(w.windowMs, c.windowMs);
        prune(w.hits, now, c.windowMs);
        return w;
      });
      for (const [index, c] of checks.entries()) {
        const hits = windows[index]!.hits;
        const weight = c.weight ?? 1;
        if (hits.length + weight > c.limit) {
          // The oldest hits that must expire before `weight` more fit.
          const mustExpire = hits.length + weight - c.limit;
          // A weight over the limit can never fit: answer the whole window.
          const freeAt = weight > c.limit ? now + c.windowMs : hits[mustExpire - 1]! + c.windowMs;
          return { allowed: false, index, retryAfterMs: Math.max(1, freeAt - now) };
        }
      }
      for (const [index, c] of checks.entries()) {
        const hits = windows[index]!.hits;
        for (let i = 0; i < (c.weight ?? 1); i++) hits.push(now);
      }
      return { allowed: true };
    },

    async loadLeaderboard(sessionId, entries) {
      const b = board(sessionId);
      for (const e of entries) merge(b, e);
      b.loaded = true;
    },
    async upsertScore(sessionId, entry) {
      merge(board(sessionId), entry);
    },
    async topScores(sessionId, n) {
      const b = boards.get(sessionId);
      if (!b?.loaded) return null;
      return [...b.entries.values()]
        .sort(compareScores)
        .slice(0, n)
        .map((e) => ({ ...e }));
    },

    async addPresence(roomId, user, socketId) {
      return { first: enter(roomId, user, socketId) };
    },
    async removePresence(roomId, userId, socketId) {
      return { last: exit(roomId, userId, socketId) };
    },
    async occupancy(roomId) {
      return presence.get(roomId)?.size ?? 0;
    },
    async syncPresence(entries) {
      // Every entry of this store is this instance's (one process).
      const wanted = new Set(entries.map((e) => presenceKey(e.roomId, e.user.id, e.socketId)));
      const changes: PresenceChanges = { joined: [], left: [] };
      for (const [roomId, users] of [...presence]) {
        for (const [userId, entry] of [...users]) {
          for (const socketId of [...entry.sockets]) {
            if (wanted.has(presenceKey(roomId, userId, socketId))) continue;
            if (exit(roomId, userId, socketId)) changes.left.push({ roomId, user: entry.user, socketId });
          }
        }
      }
      for (const entry of entries) {
        if (enter(entry.roomId, entry.user, entry.socketId)) changes.joined.push(entry);
      }
      return changes;
    },
    async heartbeat() {
      return { known: true, left: [] };
    },

    async setTyping(roomId, user, until) {
      let users = typing.get(roomId);
      if (!users) typing.set(roomId, (users = new Map()));
      const current = users.get(user.id);
      if (current) current.until = until;
      else users.set(user.id, { user, until });
    },
    async clearTyping(roomId, userId) {
      typing.get(roomId)?.delete(userId);
    },
    async typingUsers(roomId, now) {
      const users = typing.get(roomId);
      if (!users) return [];
      for (const [userId, t] of users) if (t.until <= now) users.delete(userId);
      return [...users.values()].map((t) => t.user);
    },

    async pushRecent(roomId, messages, max) {
      const list = recent.get(roomId) ?? [];
      for (const m of messages) {
        let i = list.length;
        while (i > 0 && list[i - 1]!.seq > m.seq) i--;
        if (i > 0 && list[i - 1]!.seq === m.seq) list[i - 1] = frozenCopy(m);
        else list.splice(i, 0, frozenCopy(m));
      }
      if (list.length > max) list.splice(0, list.length - max);
      recent.set(roomId, list);
    },
    async recentSince(roomId, sinceSeq) {
      const list = recent.get(roomId) ?? [];
      return list.filter((m) => m.seq > sinceSeq);
    },
    async patchRecent(roomId, messageId, patch) {
      const list = recent.get(roomId);
      const index = list?.findIndex((m) => m.id === messageId) ?? -1;
      if (!list || index < 0) return;
      const patched: Record<string, unknown> = { ...list[index]! };
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) delete patched[field];
        else patched[field] = value;
      }
      list[index] = frozenCopy(patched as unknown as Message);
    },
  };
}
