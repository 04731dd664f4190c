/**
 * The ledger: what must survive a restart (docs/server.md, "Economy"), behind an async interface
 * that knows nothing of SQLite, so a PostgreSQL ledger can implement it later.
 *
 * Rules every implementation keeps:
 * - `xp_events` / `coin_events` are append-only, keyed by a deterministic id, inserted
 *   "or ignore": replaying an event never changes a total.
 * - Totals (`xp_totals`, `coin_balances`) change in the same transaction as their events,
 *   so for every user `total = Σ events` at every moment.
 * - {@link Ledger.appendChatMessage} stores the message, decides and writes its award, and
 *   counts it for the session in ONE transaction: the transaction is the authority for the
 *   daily XP cap and the coin cooldown, so concurrency cannot beat them.
 * - No query of an append grows with history: the rule's inputs (chat XP of the UTC day, last
 *   chat coin time) and the snapshot's session counts are running counters kept in the same
 *   transaction, read by key; `userStanding` and `sessionScores` read them too, and they
 *   always equal what the messages and events say (docs/server.md, "Economy").
 * - A ledger is a storage port and holds no rule: the award rule (`decide`) and the session
 *   rule (`needsNewSession`) are pure functions handed in by the services and called inside
 *   the transaction, on what the ledger holds at that moment.
 *
 * Times are ms since the epoch (UTC); `day` is a UTC day `YYYY-MM-DD`.
 */
import type { AwardDecision, AwardState, Score, UserRef } from 'live-chat-protocol';

export type { AwardDecision, AwardState };

export interface RoomRecord {
  id: string;
  title: string;
  private: boolean;
  /** ms, or null: open from the start. */
  opensAt: number | null;
  /** ms, or null: never closes. */
  closesAt: number | null;
  slowModeSeconds: number;
  createdAt: number;
  /** Seq of the room's newest message; 0 when empty. */
  lastSeq: number;
}

export type RoomPatch = Partial<Pick<RoomRecord, 'title' | 'opensAt' | 'closesAt' | 'slowModeSeconds'>>;

export interface SessionRecord {
  id: string;
  roomId: string;
  startedAt: number;
  endedAt: number | null;
  /** Hearts (`room:like`) given during the session. */
  likes: number;
}

/** An award as stored with its message: the decision plus the user's standing after it. */
export interface AwardSnapshot extends AwardDecision {
  totalXp: number;
  dailyXp: number;
  coinBalance: number;
  sessionCoins: number;
  sessionMessages: number;
  sessionId: string;
}

export interface StoredMessage {
  id: string;
  seq: number;
  roomId: string;
  sessionId: string;
  clientId: string;
  user: UserRef;
  guest: boolean;
  /** '' once deleted by a moderator. */
  text: string;
  createdAt: number;
  likes: number;
  deleted: boolean;
  /** null for messages that took part in no award (guests). */
  award: AwardSnapshot | null;
}

/**
 * The session rule as the services hand it to the ledger (pure; `needsNewSession` of
 * live-chat-protocol bound to a room's window and a time): given the room's newest session,
 * true when a new one must start. Called inside the transaction; with no session at all the
 * ledger starts one whatever the rule says.
 */
export type SessionRule = (latest: SessionRecord) => boolean;

export interface AppendChatMessageInput {
  roomId: string;
  user: UserRef;
  guest: boolean;
  clientId: string;
  /** Already normalised and length-checked. */
  text: string;
  now: number;
  /** UTC day of `now`. */
  day: string;
  /** The session rule: whether the room's newest session must be replaced by a new one. */
  needsNewSession: SessionRule;
  /** The award rule, called inside the transaction; null: no award (guests). */
  decide: ((state: AwardState) => AwardDecision) | null;
}

export interface AppendChatMessageResult {
  message: StoredMessage;
  /** True when (room, user, clientId) was already stored: nothing was written. */
  duplicate: boolean;
  /** A session was started implicitly for this message. */
  sessionStarted: SessionRecord | null;
}

/** One user's row in a session leaderboard, before ranking (ranked by `compareScores`). */
export type ScoreRecord = Score;

export interface UserStanding {
  userId: string;
  totalXp: number;
  coinBalance: number;
  /** Chat XP earned on `day`. */
  dailyChatXp: number;
  lastCoinAt: number | null;
}

export interface XpEventRecord {
  /** The caller's id; the ledger namespaces it so it can never collide with chat awards. */
  id: string;
  userId: string;
  kind: string;
  delta: number;
  roomId: string | null;
  metadata: Record<string, unknown> | null;
  /** When the event is stored (ms since the epoch). */
  now: number;
  /** The UTC day (`YYYY-MM-DD`) of `now`, as `utcDay(now)` gives it (the caller's one rule for days). */
  day: string;
}

/** Totals against the sums of their events, for audits and tests. */
export interface UserAudit {
  userId: string;
  totalXp: number;
  xpEventsSum: number;
  coinBalance: number;
  coinEventsSum: number;
}

export interface Ledger {
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Inserts a room; false when the id is taken. */
  createRoom(room: Omit<RoomRecord, 'lastSeq'>): Promise<boolean>;
  getRoom(roomId: string): Promise<RoomRecord | null>;
  listRooms(): Promise<RoomRecord[]>;
  updateRoom(roomId: string, patch: RoomPatch): Promise<RoomRecord | null>;

  /** The room's newest session, open or ended; null before the first. */
  latestSession(roomId: string): Promise<SessionRecord | null>;
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /**
   * The room's current session in one transaction: the newest one, unless there is none or
   * `needsNewSession(newest)` says so; then the newest is ended (if open) and a new one starts
   * at `now` (`started: true`).
   */
  ensureSession(roomId: string, now: number, needsNewSession: SessionRule): Promise<{ session: SessionRecord; started: boolean }>;
  /** Ends the open session (if any) and starts a new one. */
  startSession(roomId: string, now: number): Promise<SessionRecord>;
  /** Ends the open session; null when none was open. */
  endSession(roomId: string, now: number): Promise<SessionRecord | null>;
  /** Adds hearts to a session; answers the session's new total. */
  addSessionLikes(sessionId: string, count: number): Promise<number>;

  /** See the module comment: message + award + session counts in one transaction. */
  appendChatMessage(input: AppendChatMessageInput): Promise<AppendChatMessageResult>;
  findMessageByClientId(roomId: string, userId: string, clientId: string): Promise<StoredMessage | null>;
  getMessage(roomId: string, messageId: string): Promise<StoredMessage | null>;
  /** The last `limit` messages with seq < `beforeSeq` (all when undefined), oldest first. */
  messagesBefore(roomId: string, beforeSeq: number | undefined, limit: number): Promise<StoredMessage[]>;
  /** Up to `limit` messages with seq > `sinceSeq`, oldest first. */
  messagesAfter(roomId: string, sinceSeq: number, limit: number): Promise<StoredMessage[]>;
  /** Adds the user's like, or removes it when present; null when the message is unknown or deleted. */
  toggleLike(roomId: string, messageId: string, userId: string): Promise<{ likes: number; liked: boolean } | null>;
  /** Marks a message deleted and blanks its text (awards stay); null when unknown. */
  deleteMessage(roomId: string, messageId: string): Promise<StoredMessage | null>;

  /** A user's totals, daily chat XP on `day` and last coin time, all from the ledger. */
  userStanding(userId: string, day: string): Promise<UserStanding>;
  /** Every user's score in a session (unranked). Guests are not on leaderboards. */
  sessionScores(sessionId: string): Promise<ScoreRecord[]>;
  /** Appends outside XP events in one transaction, idempotent by id. */
  appendXpEvents(events: XpEventRecord[]): Promise<{ acceptedIds: string[]; duplicateIds: string[] }>;
  /** Users that have any XP or coin event. */
  listUsers(): Promise<string[]>;
  audit(userId: string): Promise<UserAudit>;
}
