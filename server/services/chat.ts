/**
 * Chat: joining with history or replay, sending (replies included) and older history (issue 2,
 * issue 10; docs/protocol.md "Wire contract" and "Rules"). Likes and reactions: `reactions.ts`.
 *
 * `send` order of checks: room (`not_found`), visibility (`forbidden`), posting right
 * (`unauthorized`), text (`invalid` / `too_long`), idempotency (a known `clientId` answers the
 * first message and reward, whatever the limits say), the answered message of a reply
 * (`not_found` when unknown or deleted), chat window (`chat_closed`), moderator ban or timeout
 * (`banned`, `timed_out`), slow mode (`slow_mode`, hosts/moderators exempt), rate limit
 * (`rate_limited`). Idempotency costs no read per send: a refusal by any check after the text
 * first looks the `clientId` up (a stored one is answered instead), and the append answers a
 * known one itself. Then ONE ledger transaction stores the message with its seq, award and
 * session counts, under the award rule and the session rule this service hands it: the
 * group committer (`group-commit.ts`, `GROUP_COMMIT_MS` / `GROUP_COMMIT_MAX_MESSAGES`) stores
 * the messages that arrive together, across rooms, in one transaction, in arrival order. Right
 * after the commit, before any sender is answered and before the next batch, `messageStored`
 * is announced for each message of the batch in order: per room in seq order. Then `sessionStarted` (when the message started one), `leaderboardChanged` and
 * `rewardEarned` (through the reward service), and `typingChanged` when the sender was typing.
 *
 * After the commit, the hot caches (recent window, session leaderboard) are updated. When that
 * fails (e.g. Redis is down) the sender gets `internal` and retries with the same `clientId`;
 * the retry is answered as a duplicate AND writes the caches again (both writes are
 * idempotent), so the leaderboard and the `reward` event catch up.
 */
import { AppError, refuse } from '../errors.ts';
import { planJoin, utcDay, type ReplyQuote, type JoinAck, type Message, type Reward, type SendPayload } from 'live-chat-protocol';
import type { RoomRecord, SessionRecord, StoredMessage } from '../stores/ledger.ts';
import { iso, type ServiceContext } from './deps.ts';
import { isStaff, type Identity, type IdentityService } from './identity.ts';
import type { Connection, PresenceService } from './presence.ts';
import { toMessageReward, type RewardService } from './rewards.ts';
import { assertWindowOpen, type RoomService } from './rooms.ts';
import { toWireRestriction, type Restrictions } from './moderation.ts';
import { toWireSession, type SessionService } from './sessions.ts';
import { createGroupCommitter } from './group-commit.ts';
import { quoteOf } from './replies.ts';
import { checkMessageText } from './text.ts';

/** The wire form of a stored message; a deleted one keeps its place with empty text. */
export function toWireMessage(m: StoredMessage): Message {
  const message: Message = {
    id: m.id,
    seq: m.seq,
    roomId: m.roomId,
    clientId: m.clientId,
    user: m.user,
    text: m.deleted ? '' : m.text,
    createdAt: iso(m.createdAt),
    likes: m.likes,
    reward: toMessageReward(m.award),
  };
  if (m.deleted) message.deleted = true;
  // A deleted message keeps neither its quote nor its reactions on the wire.
  else {
    if (m.replyTo) message.replyTo = m.replyTo;
    if (Object.keys(m.reactions).length > 0) message.reactions = m.reactions;
  }
  return message;
}

export interface SendResult {
  message: Message;
  /** The earning user's reward; null for guests. */
  reward: Reward | null;
  /**
   * The message was stored before (same room, user and clientId): nothing new was stored or
   * awarded; `message` and `reward` are the first attempt's.
   */
  duplicate: boolean;
  /** The session this message started implicitly, if it did (announced as `sessionStarted`). */
  sessionStarted: SessionRecord | null;
}

export interface ChatService {
  /**
   * `room:join`: subscribes the connection to the room (before reading anything, so nothing
   * committed meanwhile is missed), counts it as a viewer unless it had joined already
   * (presence), and answers the join ack: the room, its current session, messages — the last
   * `HISTORY_LIMIT` (no `sinceSeq`), or those after `sinceSeq` when they are within the last
   * `REPLAY_WINDOW` seqs; otherwise the last `HISTORY_LIMIT` with `gap: true` (a `sinceSeq`
   * ahead of the room, from a client of an older database, is a gap too) — and the user's
   * standing, the leaderboard, the stats and the limits. A failed first join leaves the room
   * again.
   * @throws `not_found`, `forbidden` (private room), `internal` (the connection closed meanwhile)
   */
  join(identity: Identity, connection: Connection, roomId: string, sinceSeq: number | undefined): Promise<JoinAck>;
  /** Older history: up to `limit` messages before `beforeSeq` (newest when absent), oldest first. */
  history(identity: Identity | null, roomId: string, beforeSeq: number | undefined, limit: number): Promise<Message[]>;
  /**
   * See the module comment. `connectionId`: the connection that sent it, which its answer
   * reaches (the `reward` event goes to the user's other connections only).
   */
  send(identity: Identity, payload: SendPayload, connectionId?: string): Promise<SendResult>;
}

interface ChatDeps extends ServiceContext {
  identity: IdentityService;
  rooms: RoomService;
  sessions: SessionService;
  rewards: RewardService;
  presence: PresenceService;
  restrictions: Restrictions;
}

/**
 * Builds the chat service (the module comment gives the rules).
 * @param deps the stores, config (`maxMessageLength` in characters, `messagesPerMinute`,
 *   `historyLimit`, `replayWindow`, `leaderboardSize`), the clock (ms), `events` to announce
 *   on, and the identity, room, session, reward and presence services it calls.
 * @returns a {@link ChatService}; its methods reject with AppErrors for refusals and with the
 *   store's error when a store fails (answered `internal`). Building it never throws.
 */
export function createChatService(deps: ChatDeps): ChatService {
  const { config, ledger, hot, clock, logger, metrics, events, identity: ids, rooms, sessions, rewards, presence, restrictions } = deps;
  /** Commits messages in batches; announces each stored one in batch order, so per room in seq order. */
  const committer = createGroupCommitter(ledger, {
    windowMs: config.groupCommitMs,
    maxBatch: config.groupCommitMaxMessages,
    committed(appended) {
      if (!appended.duplicate) events.announce('messageStored', { roomId: appended.message.roomId, message: toWireMessage(appended.message) });
    },
    failed: (err) => logger.error({ err }, 'announcing a stored message failed'),
    batchStarted: (size) => metrics.groupCommitMessages.observe(size),
  });

  const history = async (roomId: string, beforeSeq: number | undefined, limit: number) =>
    (await ledger.messagesBefore(roomId, beforeSeq, limit)).map(toWireMessage);

  /**
   * Messages after `sinceSeq`, oldest first, from the hot recent window when it holds every
   * one of them up to the room's `lastSeq` (the join path then reads no message from the
   * ledger); otherwise up to `limit` from the ledger, warming the window for the next joins.
   * The window holds messages as toWireMessage makes them (its patches keep that form), each
   * the same frozen object until it changes: what the join history cache (realtime/join-history.ts) needs.
   */
  async function recent(room: RoomRecord, sinceSeq: number, limit: number): Promise<Message[]> {
    if (room.lastSeq <= sinceSeq) return [];
    const cached = await hot.recentSince(room.id, sinceSeq);
    const contiguous =
      cached.length > 0 &&
      cached.every((m, i) => m.seq === sinceSeq + 1 + i) &&
      cached[cached.length - 1]!.seq >= room.lastSeq;
    if (contiguous) return cached;
    const messages = (await ledger.messagesAfter(room.id, sinceSeq, limit)).map(toWireMessage);
    await hot.pushRecent(room.id, messages, config.replayWindow);
    return messages;
  }

  /** The last `HISTORY_LIMIT` messages: the recent window's, or the ledger's when it cannot tell. */
  async function lastMessages(room: RoomRecord): Promise<Message[]> {
    if (config.historyLimit > config.replayWindow) return history(room.id, undefined, config.historyLimit);
    const messages = await recent(room, Math.max(0, room.lastSeq - config.historyLimit), config.historyLimit);
    // Seqs with holes (none today) would leave fewer than asked: read the ledger then.
    if (messages.length < Math.min(config.historyLimit, room.lastSeq)) return history(room.id, undefined, config.historyLimit);
    return messages;
  }

  return {
    async join(identity, connection, roomId, sinceSeq) {
      // Existence and privacy (from memory after a room's first join): refused before subscribing.
      await rooms.assertVisible(identity, roomId);
      const rejoin = connection.rooms.has(roomId);
      // Subscribe before reading the room and its history, so nothing committed meanwhile is missed.
      await connection.subscribe(roomId);
      try {
        // The one read of the room (with its newest session); history and leaderboard come from the hot state.
        const { room, latestSession } = await rooms.getWithLatestSession(roomId);
        const plan = planJoin(room.lastSeq, sinceSeq, config.replayWindow);
        const [session, messages] = await Promise.all([
          sessions.current(room, latestSession),
          plan.kind === 'none' ? [] : plan.kind === 'replay' ? recent(room, sinceSeq!, config.replayWindow) : lastMessages(room),
        ]);
        if (!rejoin) await presence.arrive(connection, identity.user, room.id);
        const [progress, leaderboard, stats, restriction, wireRoom] = await Promise.all([
          identity.guest ? null : rewards.progress(identity.user.id),
          session ? rewards.leaderboard(session.id, config.leaderboardSize) : [],
          presence.stats(room.id, session),
          identity.guest ? null : restrictions.current(room.id, identity.user.id, clock()),
          rooms.wire(room, messages),
        ]);
        return {
          room: wireRoom,
          session: session ? toWireSession(session) : null,
          messages,
          me: {
            user: identity.user,
            guest: identity.guest,
            canPost: ids.canPost(identity),
            progress,
            restriction: toWireRestriction(restriction),
          },
          leaderboard,
          stats,
          gap: plan.gap,
          limits: { maxMessageLength: config.maxMessageLength, smallRoomLimit: config.smallRoomLimit },
        };
      } catch (err) {
        if (!rejoin) await presence.leave(connection, identity.user, roomId);
        throw err;
      }
    },

    async history(identity, roomId, beforeSeq, limit) {
      const room = await rooms.getVisible(identity, roomId);
      return history(room.id, beforeSeq, limit);
    },

    async send(identity, payload, connectionId) {
      // The room's settings from the cache (its lastSeq may be behind: the append takes seqs).
      const room = await rooms.getVisibleSettings(identity, payload.roomId);
      if (!ids.canPost(identity)) throw refuse.unauthorized('Sign in to chat');
      const text = checkMessageText(payload.text, config.maxMessageLength);
      const userId = identity.user.id;

      // Idempotency without a read per send: a known `clientId` is answered by the append
      // itself (its transaction finds it), and a refusal below first asks the ledger whether the
      // message was stored already, so a retry is answered whatever the limits say now.
      let replyTo: ReplyQuote | null = null;
      const now = clock();
      try {
        if (payload.replyTo !== undefined) replyTo = await quoteFor(room.id, payload.replyTo);
        assertWindowOpen(room, now);
        await restrictions.assertMayAct(room.id, userId, now);
        const slowMode = room.slowModeSeconds > 0 && !isStaff(identity);
        const checks = [{ key: `msg:${room.id}:${userId}`, limit: config.messagesPerMinute, windowMs: 60_000 }];
        if (slowMode) checks.unshift({ key: `slow:${room.id}:${userId}`, limit: 1, windowMs: room.slowModeSeconds * 1000 });
        const rate = await hot.takeRate(checks, now);
        if (!rate.allowed) {
          throw slowMode && rate.index === 0 ? refuse.slowMode(rate.retryAfterMs) : refuse.rateLimited(rate.retryAfterMs);
        }
      } catch (err) {
        const known = err instanceof AppError ? await ledger.findMessageByClientId(room.id, userId, payload.clientId) : null;
        if (known) return retried(room, known, connectionId);
        throw err;
      }

      const result = await committer.append({
        roomId: room.id,
        user: identity.user,
        guest: identity.guest,
        clientId: payload.clientId,
        text,
        now,
        day: utcDay(now),
        needsNewSession: sessions.ruleFor(room, now),
        decide: identity.guest ? null : rewards.decide,
        replyTo,
      });
      if (result.duplicate) return retried(room, result.message, connectionId);

      const stored = result.message;
      metrics.messages.inc();
      // A line per message at debug only: at info, a busy event's log would be mostly these.
      logger.debug({ room: room.id, user: userId, seq: stored.seq }, 'message');
      if (result.sessionStarted) {
        logger.info({ room: room.id, session: result.sessionStarted.id }, 'session started (first message)');
        events.announce('sessionStarted', { roomId: room.id, session: result.sessionStarted });
      }
      await hot.pushRecent(room.id, [toWireMessage(stored)], config.replayWindow);
      await rewards.recordAward(stored, { connectionId });
      await presence.sent(room.id, userId);
      return answer(stored, false, result.sessionStarted);
    },
  };

  /** The quote of the message a reply answers. @throws `not_found` (unknown, of another room, or deleted) */
  async function quoteFor(roomId: string, messageId: string): Promise<ReplyQuote> {
    const original = await ledger.getMessage(roomId, messageId);
    if (!original || original.deleted) throw refuse.notFound('The message you reply to is not in this room (or was deleted)');
    return quoteOf(original);
  }

  /**
   * A known `clientId`: writes the hot caches again (a failed first attempt may have skipped
   * them; both writes are idempotent) and answers the stored message as a duplicate.
   */
  async function retried(room: RoomRecord, stored: StoredMessage, connectionId: string | undefined): Promise<SendResult> {
    // Outside the window the message could only be trimmed again; leave the window alone.
    if (room.lastSeq - stored.seq < config.replayWindow) {
      await hot.pushRecent(room.id, [toWireMessage(stored)], config.replayWindow);
    }
    await rewards.recordAward(stored, { retry: true, connectionId });
    return answer(stored, true, null);
  }

  function answer(stored: StoredMessage, duplicate: boolean, sessionStarted: SessionRecord | null): SendResult {
    return { message: toWireMessage(stored), reward: rewards.toReward(stored), duplicate, sessionStarted };
  }
}
