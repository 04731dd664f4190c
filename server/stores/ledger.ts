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
import type { AwardDecision, AwardState, ModerationAction, Reaction, ReactionCounts, ReplyQuote, Score, UserRef } from 'live-chat-protocol';

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
  /** The pinned message (`room:pin`); null when none. */
  pinnedMessageId: string | null;
}

export type RoomPatch = Partial<Pick<RoomRecord, 'title' | 'opensAt' | 'closesAt' | 'slowModeSeconds' | 'pinnedMessageId'>>;

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
  /** The ❤️ count (`reactions['❤️']`, 0 when absent). */
  likes: number;
  deleted: boolean;
  /** null for messages that took part in no award (guests). */
  award: AwardSnapshot | null;
  /** The quote of the message this one answers, as stored with it; '' text once that one is deleted. */
  replyTo: ReplyQuote | null;
  /** Reaction counts, zero counts omitted (`{}` when none). */
  reactions: ReactionCounts;
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
  /**
   * The quote of the answered message, made by the service; stored as given, except that its
   * text is stored '' when the original is deleted by the time the transaction runs.
   */
  replyTo?: ReplyQuote | null;
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

/** A moderator's timeout or ban of a user in a room; one of each kind per (room, user). */
export interface RestrictionRecord {
  roomId: string;
  userId: string;
  kind: 'timeout' | 'ban';
  /** ms: the end of a timeout; null for a ban. */
  until: number | null;
  reason: string | null;
  /** The host or moderator who set it. */
  actorId: string;
  createdAt: number;
}

/** One moderation action as the log stores it. */
export interface ModerationLogInput {
  roomId: string;
  /** ms. */
  at: number;
  actor: UserRef;
  action: ModerationAction;
  targetUserId: string | null;
  messageId: string | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

export interface ModerationLogRecord extends ModerationLogInput {
  /** Increasing in the order entries were appended (the page cursor). */
  id: number;
}

/** What the ledger holds about one session for its recap; the service adds it up. */
export interface SessionActivity {
  /** Messages per UTC minute (`minute`: ms at its start), minutes without messages omitted. */
  messagesByMinute: { minute: number; messages: number }[];
  /** Hearts and viewer samples per UTC minute, minutes without either omitted. */
  minutes: { minute: number; hearts: number; viewersPeak: number; viewersSum: number; viewersSamples: number }[];
  /** Every user who sent a message in the session, with their sums over its messages. */
  chatters: { user: UserRef; messages: number; coins: number; xp: number; firstSeq: number }[];
}

export interface Ledger {
  /** Resolves when the store answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Inserts a room (nothing pinned); false when the id is taken. */
  createRoom(room: Omit<RoomRecord, 'lastSeq' | 'pinnedMessageId'>): Promise<boolean>;
  getRoom(roomId: string): Promise<RoomRecord | null>;
  listRooms(): Promise<RoomRecord[]>;
  updateRoom(roomId: string, patch: RoomPatch): Promise<RoomRecord | null>;

  /** The room's newest session, open or ended; null before the first. */
  latestSession(roomId: string): Promise<SessionRecord | null>;
  /**
   * {@link getRoom} and {@link latestSession} in one read, as one snapshot (what a join needs:
   * one round trip on PostgreSQL). Null for an unknown room. The records are frozen and may be
   * shared: SQLite answers them from its row cache, and PostgreSQL gives the calls for one room
   * made in the same turn of the event loop one read, started after all of them (a join
   * storm's joins of one turn cost one query).
   */
  getRoomWithLatestSession(roomId: string): Promise<{ room: RoomRecord; latestSession: SessionRecord | null } | null>;
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
  /**
   * Adds hearts to a session; answers the session's new total. With `now` (ms) the hearts are
   * also counted for that UTC minute of the session (the recap's timeline), in the same
   * transaction.
   */
  addSessionLikes(sessionId: string, count: number, now?: number): Promise<number>;
  /** Records one occupancy sample for the UTC minute of `now` (ms): the minute's peak, sum and count of samples. */
  recordViewers(sessionId: string, now: number, viewers: number): Promise<void>;
  /** A session's per-minute counts and chatters (see {@link SessionActivity}). */
  sessionActivity(sessionId: string): Promise<SessionActivity>;

  /** Sets (replaces) the user's restriction of `kind` in the room. */
  setRestriction(restriction: RestrictionRecord): Promise<void>;
  /** Removes the user's restriction of `kind`; false when there was none. */
  clearRestriction(roomId: string, userId: string, kind: RestrictionRecord['kind']): Promise<boolean>;
  /** The user's restrictions in the room, expired timeouts included (the caller compares `until`). */
  restrictionsOf(roomId: string, userId: string): Promise<RestrictionRecord[]>;
  /** Appends to a room's moderation log. */
  appendModeration(entry: ModerationLogInput): Promise<ModerationLogRecord>;
  /** Up to `limit` entries of the room's log with id < `beforeId` (all when undefined), newest first. */
  moderationLog(roomId: string, beforeId: number | undefined, limit: number): Promise<ModerationLogRecord[]>;

  /** See the module comment: message + award + session counts in one transaction. */
  appendChatMessage(input: AppendChatMessageInput): Promise<AppendChatMessageResult>;
  /**
   * Group commit: appends `inputs` in ONE transaction, exactly as if they were appended one
   * after another in array order: seqs per room in that order, each award decided on what the
   * earlier ones left (cap and cooldown exact inside the batch), a (room, user, clientId)
   * repeated in the batch answered as a duplicate of its first. All or nothing: when one
   * append fails (an unknown room, a rule that throws, the store), nothing of the batch is
   * written and the promise rejects. Answers one result per input, in input order; `[]` for
   * `[]`.
   */
  appendChatMessages(inputs: readonly AppendChatMessageInput[]): Promise<AppendChatMessageResult[]>;
  findMessageByClientId(roomId: string, userId: string, clientId: string): Promise<StoredMessage | null>;
  getMessage(roomId: string, messageId: string): Promise<StoredMessage | null>;
  /** The last `limit` messages with seq < `beforeSeq` (all when undefined), oldest first. */
  messagesBefore(roomId: string, beforeSeq: number | undefined, limit: number): Promise<StoredMessage[]>;
  /** Up to `limit` messages with seq > `sinceSeq`, oldest first. */
  messagesAfter(roomId: string, sinceSeq: number, limit: number): Promise<StoredMessage[]>;
  /** Adds the user's like, or removes it when present; null when the message is unknown or deleted. */
  toggleLike(roomId: string, messageId: string, userId: string): Promise<{ likes: number; liked: boolean } | null>;
  /**
   * Adds the user's `emoji` on a message, or removes it when present, in one transaction that
   * also updates the message's counts (the like is the ❤️ reaction: `toggleLike` and this
   * toggle the same rows, and `likes` is the ❤️ count).
   * @returns the message's counts (zero counts omitted), the user's reactions on it, whether
   *   the emoji was added; null when the message is unknown, of another room or deleted.
   */
  toggleReaction(
    roomId: string,
    messageId: string,
    userId: string,
    emoji: Reaction,
  ): Promise<{ reactions: ReactionCounts; mine: Reaction[]; added: boolean } | null>;
  /**
   * Marks a message deleted and blanks its text (awards stay), and blanks the text of the
   * quotes replies keep of it, in one transaction; null when unknown.
   */
  deleteMessage(roomId: string, messageId: string): Promise<StoredMessage | null>;
  /**
   * Ids of the room's messages that answer `messageId` and are not deleted, oldest first (to
   * refresh caches of their quotes; a deleted reply shows no quote).
   */
  replyIds(roomId: string, messageId: string): Promise<string[]>;

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
