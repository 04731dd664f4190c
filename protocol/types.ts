/**
 * The live-chat wire contract as TypeScript types: the Socket.IO events, their payloads and
 * acks, the entities, the HTTP bodies and the error codes.
 *
 * Documented in `docs/protocol.md`, which a test keeps complete. This module has no runtime
 * dependency: the zod schemas the server validates with live in `schemas.ts`
 * (`live-chat-protocol/schemas`), checked at compile time against these types.
 *
 * Units: times on the wire are ISO 8601 UTC strings (`createdAt`, `opensAt`, `closesAt`);
 * durations are milliseconds (`retryAfterMs`) unless the name says seconds (`seconds`,
 * `slowModeSeconds`); text lengths are counted in characters (Unicode code points).
 */
import type { Reaction, ReactionCounts } from './rules/reactions.ts';

/* ------------------------------------------------------------------------------------------ */
/* Errors and acks                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Every error code an ack or an HTTP error body may carry (docs/protocol.md, "Errors"). */
export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid',
  'too_long',
  'rate_limited',
  'slow_mode',
  'timed_out',
  'banned',
  'chat_closed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of an ack, and the body of an HTTP error: `{ error: WireError }`. */
export interface WireError {
  code: ErrorCode;
  /** Human-readable, English; safe to show. 5xx details are never included. */
  message: string;
  /** For `rate_limited`, `slow_mode`, `timed_out`: ms until a retry can succeed. */
  retryAfterMs?: number;
}

/** An ack: `{ ok: true, …payload }` or `{ ok: false, error }`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };
export type AckCallback<T extends object = object> = (ack: Ack<T>) => void;

/* ------------------------------------------------------------------------------------------ */
/* Entities                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export const BADGES = ['host', 'winner', 'moderator'] as const;
export type Badge = (typeof BADGES)[number];

/** A user as other users see them. `avatarUrl` null means "draw initials". */
export interface UserRef {
  id: string;
  name: string;
  avatarUrl: string | null;
  badges: Badge[];
}

/**
 * `message:new` as it travels (`leanMessage` / `expandMessage`): a {@link Message} with its
 * defaults left out. Absent `likes`: 0; `reward`: null; `replyTo`: null; `reactions`: none;
 * the sender's `avatarUrl`: null; `badges`: []. Every `Message` is a valid `MessageNew`.
 */
export interface MessageNew extends Omit<Message, 'user' | 'likes' | 'reward'> {
  user: Omit<UserRef, 'avatarUrl' | 'badges'> & { avatarUrl?: string | null; badges?: Badge[] };
  likes?: number;
  reward?: MessageReward | null;
}

/** What a stored message earned, as every viewer sees it. */
export interface MessageReward {
  xp: number;
  coins: number;
}

export interface Message {
  id: string;
  /** Per room, strictly increasing, assigned by the server. */
  seq: number;
  roomId: string;
  /** UUID made by the sending client; the idempotency key of `message:send`. */
  clientId: string;
  user: UserRef;
  text: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** The ❤️ reaction's count (the like is the ❤️ reaction); also `reactions['❤️']`. */
  likes: number;
  /** null until the economy awards, or when the message earned nothing. */
  reward: MessageReward | null;
  deleted?: true;
  /** Extension: the message this one answers; absent when it is not a reply. */
  replyTo?: ReplyQuote | null;
  /** Extension: reaction counts, zero counts omitted; absent when nobody reacted. */
  reactions?: ReactionCounts;
}

/**
 * The quote a reply carries of the message it answers, taken when the reply is stored.
 * `text`: the original's first 100 characters (code points, `quoteText`); '' once the
 * original is deleted.
 */
export interface ReplyQuote {
  id: string;
  seq: number;
  userId: string;
  name: string;
  text: string;
}

export interface Room {
  id: string;
  title: string;
  private: boolean;
  /** Chat window start, ISO 8601 UTC; null: always open from the start. */
  opensAt: string | null;
  /** Chat window end, ISO 8601 UTC; null: never closes. */
  closesAt: string | null;
  /** Minimum seconds between two messages of one user; 0: off. */
  slowModeSeconds: number;
  createdAt: string;
  /** The message staff pinned above the list (`room:pin`); null when none. A deleted message unpins. */
  pinned: Message | null;
}

/** A session: one live event in a room; leaderboards are per session. */
export interface Session {
  id: string;
  roomId: string;
  startedAt: string;
  endedAt: string | null;
}

export interface RoomStats {
  roomId: string;
  /** Occupancy: distinct users with at least one socket in the room. */
  viewers: number;
  /** Session likes (hearts) of the room. */
  likes: number;
}

/**
 * `presence:join` / `presence:leave`: the users who arrived (first socket) or went (last
 * socket) since the room's previous batch, at most one batch per `STATS_INTERVAL_MS`; a user
 * who came and went within one interval is in neither. The receiver may be in the list.
 */
export interface PresenceBatch {
  roomId: string;
  users: UserRef[];
}

export interface LeaderboardEntry {
  rank: number;
  userId: string;
  name: string;
  avatarUrl: string | null;
  coins: number;
  messages: number;
}

/** Why a chat message did or did not earn a coin. */
export type CoinReason = 'chat_message' | 'rate_limited' | 'cap_reached' | null;

/** What one message earned, sent to the earning user only (ack and `reward` event). */
export interface Reward {
  xp: number;
  coins: number;
  totalXp: number;
  level: number;
  leveledUp: boolean;
  /** Chat XP earned in the current UTC day, after this reward. */
  dailyXp: number;
  dailyXpCap: number;
  coinBalance: number;
  /** Coins earned in the current session of the room. */
  sessionCoins: number;
  coinReason: CoinReason;
  /** Extension: the message this reward is for; clients dedupe rewards by it (ack + event, several tabs). */
  messageId?: string;
  /** Extension: total XP at which the current level starts, for a progress bar. */
  levelStartXp?: number;
  /** Extension: total XP at which the next level starts. */
  nextLevelXp?: number;
}

/** The joining user, as the join ack reports them. */
export interface Me {
  user: UserRef;
  guest: boolean;
  /** False for guests unless `GUEST_CAN_POST=true`. */
  canPost: boolean;
  /** null for guests. */
  progress: UserProgress | null;
  /** Extension: a running timeout or ban of this user in the room; null (or absent) when none. */
  restriction?: Restriction | null;
}

/** A moderator's restriction of one user in one room (`me.restriction`, `moderation:notice`). */
export interface Restriction {
  kind: 'timeout' | 'ban';
  /** For a timeout: when it ends, ISO 8601 UTC; null for a ban (until unbanned). */
  until: string | null;
  /** What the moderator gave as the reason (≤ 200 characters); null when none. */
  reason: string | null;
}

/** `moderation:notice`: sent to the affected user's sockets only. */
export interface ModerationNotice {
  roomId: string;
  kind: 'timeout' | 'ban' | 'unban';
  /** For a timeout: when it ends (ISO 8601 UTC); null otherwise. */
  until: string | null;
  reason: string | null;
}

export const MODERATION_ACTIONS = [
  'delete',
  'timeout',
  'ban',
  'unban',
  'pin',
  'unpin',
  'room_update',
  'session_start',
  'session_end',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** One entry of a room's moderation log (`GET /api/rooms/:roomId/moderation`). */
export interface ModerationEntry {
  /** Increasing with time within a server's log; the `before` cursor of the next page. */
  id: string;
  /** ISO 8601 UTC. */
  at: string;
  /** The host or moderator who acted. */
  actor: UserRef;
  action: ModerationAction;
  /** The user a timeout, ban or unban is about, or the author of a deleted message. */
  targetUserId: string | null;
  messageId: string | null;
  reason: string | null;
  /** Action-specific facts: `{ seconds, until }` (timeout), the changed fields (room_update), `{ sessionId }` (sessions). */
  details: Record<string, unknown> | null;
}

/** One UTC minute of a session recap. */
export interface RecapMinute {
  /** Start of the UTC minute, ISO 8601. */
  minute: string;
  messages: number;
  /** Peak occupancy sampled in that minute; 0 when no sample was taken. */
  viewers: number;
  hearts: number;
}

/** A chatter of a session recap. */
export interface RecapChatter {
  userId: string;
  name: string;
  avatarUrl: string | null;
  messages: number;
  coins: number;
  xp: number;
}

/** `GET /api/rooms/:roomId/sessions/:sessionId/recap`: what happened during one session. */
export interface SessionRecap {
  roomId: string;
  sessionId: string;
  startedAt: string;
  /** null while the session runs. */
  endedAt: string | null;
  /** Highest occupancy sampled during the session. */
  peakViewers: number;
  /** Mean of the occupancy samples (about one a minute), one decimal. */
  averageViewers: number;
  /** Distinct users who sent at least one message. */
  uniqueChatters: number;
  /** Messages stored in the session (deleted ones included). */
  messages: number;
  /** Hearts (`room:like`) given during the session. */
  hearts: number;
  xpAwarded: number;
  coinsAwarded: number;
  /** Every UTC minute from the start to the end (or now), oldest first. */
  timeline: RecapMinute[];
  /** Up to 10 users with the most messages (then coins, then who came first). */
  topChatters: RecapChatter[];
}

/** A user's economy standing (`GET /api/users/:userId/xp` plus level bounds). */
export interface UserProgress {
  userId: string;
  totalXp: number;
  level: number;
  levelStartXp: number;
  nextLevelXp: number;
  dailyXp: number;
  dailyXpCap: number;
  coinBalance: number;
  /** Extension: ISO 8601 UTC time the coin cooldown ends; null when a coin is due now. */
  nextCoinAt?: string | null;
}

/* ------------------------------------------------------------------------------------------ */
/* Client → server payloads (validated by `schemas.ts`)                                        */
/* ------------------------------------------------------------------------------------------ */

/** `room:join`. `sinceSeq`: the newest seq the client holds; the server replays what follows. */
export interface JoinPayload {
  /** 1..64 of letters, digits, `-` and `_`, starting with a letter or digit. */
  roomId: string;
  sinceSeq?: number;
}
export interface LeavePayload {
  roomId: string;
}
/** `message:send`. `clientId`: 8..64 of `A-Za-z0-9_-`, made by the client (a UUID), the idempotency key. */
export interface SendPayload {
  roomId: string;
  clientId: string;
  /** Raw text, at most 100,000 characters (code points) on the wire; the rule (1..2000 characters after normalisation) is `checkText`. */
  text: string;
  /** The id of the message this one answers: a message of the same room, not deleted. */
  replyTo?: string;
}
/** `message:react`: toggles the caller's `emoji` on a message. */
export interface MessageReactPayload {
  roomId: string;
  messageId: string;
  emoji: Reaction;
}
export interface MessageLikePayload {
  roomId: string;
  messageId: string;
}
/** `room:like`: hearts for the room; `count` 1..50 (default 1). */
export interface RoomLikePayload {
  roomId: string;
  count?: number;
}
export interface TypingPayload {
  roomId: string;
}
export type ModDeletePayload = MessageLikePayload;
/** `mod:timeout`: `seconds` 1..604,800 (7 days). */
export interface ModTimeoutPayload {
  roomId: string;
  userId: string;
  seconds: number;
  /** At most 200 characters after trim; shown to the user. */
  reason?: string;
}
/** `mod:ban`: until `mod:unban`. */
export interface ModBanPayload {
  roomId: string;
  userId: string;
  /** At most 200 characters after trim; shown to the user. */
  reason?: string;
}
export interface ModUnbanPayload {
  roomId: string;
  userId: string;
}
/** `room:pin`: a message of the room, or null to unpin. */
export interface RoomPinPayload {
  roomId: string;
  messageId: string | null;
}
/** `room:update`: any subset of the settings; times ISO 8601 with offset, null clears. */
export interface RoomUpdatePayload {
  roomId: string;
  /** 0..3600 s; 0: off. */
  slowModeSeconds?: number;
  opensAt?: string | null;
  closesAt?: string | null;
  /** 1..120 characters after trim. */
  title?: string;
}
export interface SessionPayload {
  roomId: string;
}

/* ------------------------------------------------------------------------------------------ */
/* Acks                                                                                        */
/* ------------------------------------------------------------------------------------------ */

export interface JoinAck {
  room: Room;
  session: Session | null;
  /** Oldest first: the last 100, or what came after `sinceSeq`. */
  messages: Message[];
  me: Me;
  leaderboard: LeaderboardEntry[];
  stats: RoomStats;
  /** True when `sinceSeq` is older than the replay window: reload history. */
  gap: boolean;
  /** Extension: the server's rules the composer shows (MAX_MESSAGE_LENGTH, in characters). */
  limits?: {
    maxMessageLength: number;
    /**
     * `SMALL_ROOM_LIMIT`, in viewers: at or under it the room sends `presence:*` and `typing`;
     * above it, occupancy (`room:stats`) alone. Absent from older servers: treat as small.
     */
    smallRoomLimit?: number;
  };
}
export interface SendAck {
  message: Message;
  /** null for a message that earned nothing (or before the economy is enabled). */
  reward: Reward | null;
}
export interface LikesAck {
  likes: number;
}
/** `message:react`: the message's counts after the toggle and the caller's reactions on it. */
export interface ReactAck {
  reactions: ReactionCounts;
  /** The caller's reactions on the message, in `REACTIONS` order. */
  mine: Reaction[];
}
export interface RoomAck {
  room: Room;
}
export interface SessionAck {
  session: Session | null;
}

/* ------------------------------------------------------------------------------------------ */
/* Typed Socket.IO event maps                                                                  */
/* ------------------------------------------------------------------------------------------ */

export interface ClientToServerEvents {
  'room:join': (p: JoinPayload, ack: AckCallback<JoinAck>) => void;
  'room:leave': (p: LeavePayload, ack: AckCallback) => void;
  'message:send': (p: SendPayload, ack: AckCallback<SendAck>) => void;
  'message:like': (p: MessageLikePayload, ack: AckCallback<LikesAck>) => void;
  'message:react': (p: MessageReactPayload, ack: AckCallback<ReactAck>) => void;
  'room:like': (p: RoomLikePayload, ack: AckCallback<LikesAck>) => void;
  'typing:start': (p: TypingPayload, ack: AckCallback) => void;
  'typing:stop': (p: TypingPayload, ack: AckCallback) => void;
  'mod:delete': (p: ModDeletePayload, ack: AckCallback) => void;
  'mod:timeout': (p: ModTimeoutPayload, ack: AckCallback) => void;
  'mod:ban': (p: ModBanPayload, ack: AckCallback) => void;
  'mod:unban': (p: ModUnbanPayload, ack: AckCallback) => void;
  'room:pin': (p: RoomPinPayload, ack: AckCallback<RoomAck>) => void;
  'room:update': (p: RoomUpdatePayload, ack: AckCallback<RoomAck>) => void;
  'session:start': (p: SessionPayload, ack: AckCallback<SessionAck>) => void;
  'session:end': (p: SessionPayload, ack: AckCallback<SessionAck>) => void;
}

/**
 * Server → client events as a client handles them: `message:new` is a full {@link Message}
 * (a client library expands the lean wire form with `expandMessage` where it arrives). What
 * travels is {@link WireServerToClientEvents}.
 */
export interface ServerToClientEvents {
  'message:new': (m: Message) => void;
  'message:deleted': (p: { roomId: string; messageId: string }) => void;
  'message:likes': (p: { roomId: string; messageId: string; likes: number }) => void;
  'message:reactions': (p: { roomId: string; messageId: string; reactions: ReactionCounts }) => void;
  'room:stats': (s: RoomStats) => void;
  'room:updated': (r: Room) => void;
  'leaderboard:update': (p: { roomId: string; sessionId: string; entries: LeaderboardEntry[] }) => void;
  /** Coalesced per room: the users whose first socket joined since the last one (small rooms only). */
  'presence:join': (p: PresenceBatch) => void;
  /** Coalesced per room: the users whose last socket left since the last one (small rooms only). */
  'presence:leave': (p: PresenceBatch) => void;
  typing: (p: { roomId: string; users: UserRef[] }) => void;
  reward: (r: Reward) => void;
  'moderation:notice': (n: ModerationNotice) => void;
  'session:updated': (p: { roomId: string; session: Session | null }) => void;
}

/** Server → client events as they travel: `message:new` is the lean {@link MessageNew}. */
export type WireServerToClientEvents = Omit<ServerToClientEvents, 'message:new'> & {
  'message:new': (m: MessageNew) => void;
};

/* ------------------------------------------------------------------------------------------ */
/* HTTP bodies                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** `POST /api/rooms`. */
export interface CreateRoomBody {
  id?: string;
  /** 1..120 characters after trim. */
  title: string;
  private?: boolean;
  opensAt?: string | null;
  closesAt?: string | null;
}

/** `GET /api/rooms/:roomId/messages?beforeSeq&limit`: `limit` 1..200, default 50. */
export interface MessagesQuery {
  beforeSeq?: number;
  limit: number;
}

/** `GET /api/rooms/:roomId/moderation?limit&before`: `limit` 1..200, default 50; `before` an entry id. */
export interface ModerationQuery {
  before?: string;
  limit: number;
}

/** `POST /api/dev/token`. */
export interface DevTokenBody {
  /** 1..40 characters after trim. */
  name: string;
  roles?: Badge[];
}

/** One outside XP event of `POST /api/xp/events`. */
export interface XpEventInput {
  /** 1..128 characters; the idempotency key. */
  id: string;
  userId: string;
  kind: string;
  /** Integer, −1,000,000..1,000,000. */
  delta: number;
  roomId?: string;
  /** At most 8 levels deep and 4,096 bytes as JSON (`XP_METADATA_LIMITS`). */
  metadata?: Record<string, unknown>;
}
export interface XpEventsBody {
  /** 1..500 events. */
  events: XpEventInput[];
}
export interface XpEventsAnswer {
  acceptedIds: string[];
  duplicateIds: string[];
}
