/**
 * Rows of the ledgers' tables (SQLite and PostgreSQL share the column names) and their mapping
 * to the ledger's records: columns are snake_case, users, award snapshots, reply quotes and
 * reaction counts are JSON text, booleans are 0/1 in SQLite and true/false in PostgreSQL
 * ({@link Flag}), times are ms since the epoch (PostgreSQL's BIGINTs arrive as numbers, see
 * `postgres/pool.ts`).
 */
import type { ReactionCounts, ReplyQuote, UserRef } from 'live-chat-protocol';
import type {
  AppendChatMessageInput,
  AwardSnapshot,
  ModerationLogRecord,
  RestrictionRecord,
  RoomRecord,
  ScoreRecord,
  SessionRecord,
  StoredMessage,
} from './ledger.ts';

/** A boolean column: 0/1 in SQLite, a boolean in PostgreSQL. */
export type Flag = number | boolean;

export interface RoomRow {
  id: string;
  title: string;
  private: Flag;
  opens_at: number | null;
  closes_at: number | null;
  slow_mode_seconds: number;
  created_at: number;
  last_seq: number;
  pinned_message_id: string | null;
}

export interface SessionRow {
  id: string;
  room_id: string;
  started_at: number;
  ended_at: number | null;
  likes: number;
}

export interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  session_id: string;
  client_id: string;
  user_id: string;
  user_json: string;
  guest: Flag;
  text: string;
  created_at: number;
  likes: number;
  deleted: Flag;
  award_json: string | null;
  /** The answered message's quote (JSON `ReplyQuote`), and the reaction counts (JSON); added by a later migration. */
  reply_json: string | null;
  reactions_json: string | null;
}

/** One user's score in a session (SQLite `session_user_counters`, PostgreSQL `session_users`). */
export interface ScoreRow {
  user_id: string;
  user_json: string;
  coins: number;
  messages: number;
  last_seq: number;
}

export const toRoom = (r: RoomRow): RoomRecord => ({
  id: r.id,
  title: r.title,
  private: Boolean(r.private),
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  slowModeSeconds: r.slow_mode_seconds,
  createdAt: r.created_at,
  lastSeq: r.last_seq,
  pinnedMessageId: r.pinned_message_id,
});

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  roomId: r.room_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  likes: r.likes,
});

export const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  seq: r.seq,
  roomId: r.room_id,
  sessionId: r.session_id,
  clientId: r.client_id,
  user: JSON.parse(r.user_json) as UserRef,
  guest: Boolean(r.guest),
  text: r.text,
  createdAt: r.created_at,
  likes: r.likes,
  deleted: Boolean(r.deleted),
  award: r.award_json ? (JSON.parse(r.award_json) as AwardSnapshot) : null,
  replyTo: r.reply_json ? (JSON.parse(r.reply_json) as ReplyQuote) : null,
  reactions: r.reactions_json ? (JSON.parse(r.reactions_json) as ReactionCounts) : {},
});

/** What an append decided for a message beyond its input: the ids, the award and the quote as stored. */
export interface AppendedParts {
  id: string;
  seq: number;
  sessionId: string;
  /** `JSON.stringify(input.user)`, as stored. */
  userJson: string;
  award: AwardSnapshot | null;
  replyTo: ReplyQuote | null;
}

type AppendedInput = Pick<AppendChatMessageInput, 'roomId' | 'user' | 'clientId' | 'guest' | 'text' | 'now'>;

/**
 * The `messages` row an append stores (both ledgers; {@link toMessage} reads it back), the
 * columns it writes by name; `guest` as the ledger's {@link Flag}. Likes, deleted and
 * reactions keep their column defaults.
 */
export const newMessageRow = <F extends Flag>(input: AppendedInput, stored: AppendedParts, guest: F) => ({
  id: stored.id,
  room_id: input.roomId,
  seq: stored.seq,
  session_id: stored.sessionId,
  client_id: input.clientId,
  user_id: input.user.id,
  user_json: stored.userJson,
  guest,
  text: input.text,
  created_at: input.now,
  reward_xp: stored.award?.xp ?? 0,
  reward_coins: stored.award?.coins ?? 0,
  award_json: stored.award ? JSON.stringify(stored.award) : null,
  reply_to: stored.replyTo?.id ?? null,
  reply_json: stored.replyTo ? JSON.stringify(stored.replyTo) : null,
});

/**
 * A message as an append has just stored it (both ledgers): no reactions yet, not deleted.
 * `user` is read back from `userJson`, the stored copy, so the answer shares nothing with the input.
 */
export const appendedMessage = (input: AppendedInput, stored: AppendedParts): StoredMessage => ({
  id: stored.id,
  seq: stored.seq,
  roomId: input.roomId,
  sessionId: stored.sessionId,
  clientId: input.clientId,
  user: JSON.parse(stored.userJson) as UserRef,
  guest: input.guest,
  text: input.text,
  createdAt: input.now,
  likes: 0,
  deleted: false,
  award: stored.award,
  replyTo: stored.replyTo,
  reactions: {},
});

export const toScore = (r: ScoreRow): ScoreRecord => {
  const user = JSON.parse(r.user_json) as UserRef;
  return { userId: r.user_id, name: user.name, avatarUrl: user.avatarUrl, coins: r.coins, messages: r.messages, lastSeq: r.last_seq };
};

/** One row of `restrictions`. */
export interface RestrictionRow {
  room_id: string;
  user_id: string;
  kind: RestrictionRecord['kind'];
  until: number | null;
  reason: string | null;
  actor_id: string;
  created_at: number;
}

/** One row of the moderation log. */
export interface LogRow {
  id: number;
  room_id: string;
  at: number;
  actor_json: string;
  action: ModerationLogRecord['action'];
  target_user_id: string | null;
  message_id: string | null;
  reason: string | null;
  details: string | null;
}

export const toRestriction = (r: RestrictionRow): RestrictionRecord => ({
  roomId: r.room_id,
  userId: r.user_id,
  kind: r.kind,
  until: r.until,
  reason: r.reason,
  actorId: r.actor_id,
  createdAt: r.created_at,
});

export const toLogEntry = (r: LogRow): ModerationLogRecord => ({
  id: r.id,
  roomId: r.room_id,
  at: r.at,
  actor: JSON.parse(r.actor_json) as UserRef,
  action: r.action,
  targetUserId: r.target_user_id,
  messageId: r.message_id,
  reason: r.reason,
  details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
});
