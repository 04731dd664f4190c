/**
 * Hot state: fast, shared, expendable (docs/server.md, "Economy"). Memory by default; Redis
 * (`redis-hot-store.ts`) when instances share it, behind `failover-hot-store.ts`. Both run the
 * same contract suite (`test/server/stores/hot-store.contract.ts`).
 *
 * Everything here is either short-lived by nature (rate windows, presence, typing)
 * or a cache of what the ledger says (session leaderboards, the recent-message window).
 * Callers treat a cache miss (`null`) as "ask the ledger and warm the cache", so a restart
 * never empties a leaderboard. The economy's decisions (daily XP cap, coin cooldown) are never
 * taken from here: the award rule reads the ledger inside the transaction that stores the
 * message (docs/protocol.md, "Rules").
 *
 * Every method that depends on time takes `now` (ms since the epoch) from the caller's
 * injected clock; stores never read the system clock.
 */
import type { Message, UserRef } from 'live-chat-protocol';

import type { ScoreRecord } from './ledger.ts';

/** One sliding-window limit: at most `limit` units per `windowMs` under `key`. */
export interface RateCheck {
  key: string;
  limit: number;
  windowMs: number;
  /** Units this hit costs; default 1. */
  weight?: number;
}

export type RateResult =
  | { allowed: true }
  /** `index` is the position of the first refusing check; `retryAfterMs` when it frees up. */
  | { allowed: false; index: number; retryAfterMs: number };

/** One socket of a user in a room's presence. */
export interface PresenceEntry {
  roomId: string;
  user: UserRef;
  socketId: string;
}

/** One string per (room, user, socket): JSON, so no id can run into the next. */
export const presenceKey = (roomId: string, userId: string, socketId: string): string => JSON.stringify([roomId, userId, socketId]);

/** What a reap or a presence sync changed: users who arrived (first socket) or went (last socket). */
export interface PresenceChanges {
  joined: PresenceEntry[];
  left: PresenceEntry[];
}

/** A user's row of a session leaderboard, unranked: the ledger's row, cached. */
export type ScoreEntry = ScoreRecord;

export interface HotStore {
  /** Resolves when the store answers; rejects otherwise (`/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Sliding-window rate limits, all or nothing: when every check has room, each records
   * its weight at `now`; otherwise nothing is recorded and the first refusal is answered.
   */
  takeRate(checks: RateCheck[], now: number): Promise<RateResult>;

  /**
   * Merges entries into a session leaderboard and marks it loaded (complete). Per user the
   * entry with the higher `lastSeq` wins, so a late, older write never regresses a score.
   */
  loadLeaderboard(sessionId: string, entries: ScoreEntry[]): Promise<void>;
  /** Merges one entry (same rule); does not mark the board loaded. */
  upsertScore(sessionId: string, entry: ScoreEntry): Promise<void>;
  /** The top `n` entries in {@link compareScores} order; null when the board is not loaded. */
  topScores(sessionId: string, n: number): Promise<ScoreEntry[] | null>;

  /**
   * Adds a socket of a user to a room's presence. `first` is true when it is the user's
   * first socket there (announce `presence:join`).
   */
  addPresence(roomId: string, user: UserRef, socketId: string): Promise<{ first: boolean }>;
  /** Removes a socket; `last` is true when it was the user's last one there. */
  removePresence(roomId: string, userId: string, socketId: string): Promise<{ last: boolean }>;
  /** Occupancy: distinct users with at least one socket in the room. */
  occupancy(roomId: string): Promise<number>;
  /**
   * Makes this instance's presence what `entries` says (its sockets now): entries it holds and
   * `entries` lacks are removed, the others added. For after hot state was lost or kept
   * without this instance (Redis restarted, an outage, this instance reaped).
   * @returns users whose first socket was added (`joined`) or last removed (`left`).
   */
  syncPresence(entries: PresenceEntry[]): Promise<PresenceChanges>;
  /**
   * Instance liveness (docs/server.md, "Failure behaviour"): marks this instance seen at `now`
   * (ms) and reaps the presence of every instance not seen for `timeoutMs` (ms), as if each of
   * its sockets had disconnected. An instance that dies without closing its sockets (kill -9,
   * a lost machine) thus stops counting as viewers `timeoutMs` after its last heartbeat.
   * @returns `known`: false when the store did not know this instance (its first heartbeat, or
   *   its presence was lost or reaped: call {@link syncPresence}); `left`: the reaped users'
   *   last sockets (announce them as gone). The memory store (one instance) answers
   *   `{ known: true, left: [] }`.
   */
  heartbeat(now: number, timeoutMs: number): Promise<{ known: boolean; left: PresenceEntry[] }>;

  /** Marks a user typing in a room until `until` (ms). */
  setTyping(roomId: string, user: UserRef, until: number): Promise<void>;
  clearTyping(roomId: string, userId: string): Promise<void>;
  /** Users still typing at `now`, in the order they started. */
  typingUsers(roomId: string, now: number): Promise<UserRef[]>;

  /**
   * Adds messages to a room's recent window (kept sorted by seq, at most `max`, the newest
   * win). Re-adding a seq replaces it.
   */
  pushRecent(roomId: string, messages: Message[], max: number): Promise<void>;
  /**
   * Messages of the window with seq > `sinceSeq`, oldest first (may be incomplete). Read
   * only: the memory store hands out its own (frozen) objects.
   */
  recentSince(roomId: string, sinceSeq: number): Promise<Message[]>;
  /**
   * Replaces fields of a message held in the window (likes, deletion); a field given as
   * `undefined` is removed (reactions taken back, a deleted message's quote). No-op when the
   * message is not held.
   */
  patchRecent(roomId: string, messageId: string, patch: Partial<Message>): Promise<void>;
}
