/**
 * The live-chat wire contract: the Socket.IO events, their payloads and acks, the HTTP bodies,
 * and the zod schemas the server validates them with.
 *
 * Source of truth: `../shared/DESIGN.md` ("Wire contract", "HTTP"). The widget imports this
 * file with `import type` only, so the schemas never reach the browser bundle.
 *
 * Units: times on the wire are ISO 8601 UTC strings (`createdAt`, `opensAt`, `closesAt`);
 * durations are milliseconds (`retryAfterMs`) unless the name says seconds (`seconds`,
 * `slowModeSeconds`); text lengths are counted in characters (Unicode code points).
 */
import { z } from 'zod';

/* ------------------------------------------------------------------------------------------ */
/* Errors and acks                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Every error code an ack or an HTTP error body may carry (DESIGN.md, "Wire contract"). */
export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid',
  'too_long',
  'rate_limited',
  'slow_mode',
  'timed_out',
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
  likes: number;
  /** null until the economy awards, or when the message earned nothing. */
  reward: MessageReward | null;
  deleted?: true;
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
/* Client → server payload schemas                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Room ids: 1..64 of letters, digits, `-` and `_`, starting with a letter or digit. */
export const roomIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'roomId must be 1..64 letters, digits, - or _');

const isoDate = z.iso.datetime({ offset: true });

export const joinSchema = z.object({
  roomId: roomIdSchema,
  sinceSeq: z.number().int().min(0).optional(),
});
export const leaveSchema = z.object({ roomId: roomIdSchema });
export const sendSchema = z.object({
  roomId: roomIdSchema,
  clientId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  /** Raw text; the length rule (1..2000 after trim) is checked by the chat service. */
  text: z.string().max(100_000),
});
export const messageLikeSchema = z.object({ roomId: roomIdSchema, messageId: z.string().min(1).max(64) });
export const roomLikeSchema = z.object({ roomId: roomIdSchema, count: z.number().int().min(1).max(50).optional() });
export const typingSchema = z.object({ roomId: roomIdSchema });
export const modDeleteSchema = messageLikeSchema;
export const modTimeoutSchema = z.object({
  roomId: roomIdSchema,
  userId: z.string().min(1).max(128),
  seconds: z.number().int().min(1).max(7 * 24 * 3600),
});
export const roomUpdateSchema = z.object({
  roomId: roomIdSchema,
  slowModeSeconds: z.number().int().min(0).max(3600).optional(),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
  title: z.string().trim().min(1).max(120).optional(),
});
export const sessionSchema = z.object({ roomId: roomIdSchema });

export type JoinPayload = z.infer<typeof joinSchema>;
export type LeavePayload = z.infer<typeof leaveSchema>;
export type SendPayload = z.infer<typeof sendSchema>;
export type MessageLikePayload = z.infer<typeof messageLikeSchema>;
export type RoomLikePayload = z.infer<typeof roomLikeSchema>;
export type TypingPayload = z.infer<typeof typingSchema>;
export type ModDeletePayload = z.infer<typeof modDeleteSchema>;
export type ModTimeoutPayload = z.infer<typeof modTimeoutSchema>;
export type RoomUpdatePayload = z.infer<typeof roomUpdateSchema>;
export type SessionPayload = z.infer<typeof sessionSchema>;

/**
 * Every client → server event with the schema its payload is validated by: the one table the
 * server's handlers and the protocol fuzz test both read (a new event cannot be left unfuzzed).
 */
export const clientEventSchemas = {
  'room:join': joinSchema,
  'room:leave': leaveSchema,
  'message:send': sendSchema,
  'message:like': messageLikeSchema,
  'room:like': roomLikeSchema,
  'typing:start': typingSchema,
  'typing:stop': typingSchema,
  'mod:delete': modDeleteSchema,
  'mod:timeout': modTimeoutSchema,
  'room:update': roomUpdateSchema,
  'session:start': sessionSchema,
  'session:end': sessionSchema,
} as const;

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
  limits?: { maxMessageLength: number };
}
export interface SendAck {
  message: Message;
  /** null for a message that earned nothing (or before the economy is enabled). */
  reward: Reward | null;
}
export interface LikesAck {
  likes: number;
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
  'room:like': (p: RoomLikePayload, ack: AckCallback<LikesAck>) => void;
  'typing:start': (p: TypingPayload, ack: AckCallback) => void;
  'typing:stop': (p: TypingPayload, ack: AckCallback) => void;
  'mod:delete': (p: ModDeletePayload, ack: AckCallback) => void;
  'mod:timeout': (p: ModTimeoutPayload, ack: AckCallback) => void;
  'room:update': (p: RoomUpdatePayload, ack: AckCallback<RoomAck>) => void;
  'session:start': (p: SessionPayload, ack: AckCallback<SessionAck>) => void;
  'session:end': (p: SessionPayload, ack: AckCallback<SessionAck>) => void;
}

export interface ServerToClientEvents {
  'message:new': (m: Message) => void;
  'message:deleted': (p: { roomId: string; messageId: string }) => void;
  'message:likes': (p: { roomId: string; messageId: string; likes: number }) => void;
  'room:stats': (s: RoomStats) => void;
  'room:updated': (r: Room) => void;
  'leaderboard:update': (p: { roomId: string; sessionId: string; entries: LeaderboardEntry[] }) => void;
  'presence:join': (p: { roomId: string; user: UserRef }) => void;
  'presence:leave': (p: { roomId: string; user: UserRef }) => void;
  typing: (p: { roomId: string; users: UserRef[] }) => void;
  reward: (r: Reward) => void;
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP bodies                                                                                 */
/* ------------------------------------------------------------------------------------------ */

export const createRoomSchema = z.object({
  id: roomIdSchema.optional(),
  title: z.string().trim().min(1).max(120),
  private: z.boolean().optional(),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
});
export type CreateRoomBody = z.infer<typeof createRoomSchema>;

export const messagesQuerySchema = z.object({
  beforeSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const devTokenSchema = z.object({
  name: z.string().trim().min(1).max(40),
  roles: z.array(z.enum(BADGES)).max(3).optional(),
});
export type DevTokenBody = z.infer<typeof devTokenSchema>;

export const xpEventSchema = z.object({
  id: z.string().min(1).max(128),
  userId: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  delta: z.number().int().min(-1_000_000).max(1_000_000),
  roomId: roomIdSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export const xpEventsBodySchema = z.object({ events: z.array(xpEventSchema).min(1).max(500) });
export type XpEventInput = z.infer<typeof xpEventSchema>;
export interface XpEventsAnswer {
  acceptedIds: string[];
  duplicateIds: string[];
}
