/**
 * From domain events to Socket.IO emits: what each announcement of the services becomes on
 * the wire (docs/protocol.md, server → client). Direct events (`message:new`,
 * `reward`, `message:likes`, `message:deleted`, `room:updated`) leave at once;
 * `room:stats`, `leaderboard:update`, `typing` and the `presence:*` batches go through per-room
 * coalescers (at most one flush per room per `STATS_INTERVAL_MS`; `room:stats` and
 * `leaderboard:update` less often in a room of more than 500 viewers on this instance, see
 * `fanoutPacedInterval`) that read the state when they flush. `presence:*` and `typing` go to
 * small rooms only (`SMALL_ROOM_LIMIT` viewers).
 * `message:reactions` is coalesced per room too, one event per changed message per flush
 * (`reaction-broadcasts.ts`).
 */
import type { Logger } from 'pino';
import { leanMessage } from 'live-chat-protocol';
import type { Config } from '../config.ts';
import type { Metrics } from '../metrics.ts';
import type { Services } from '../services/index.ts';
import { toWireSession } from '../services/sessions.ts';
import { fanoutPacedInterval, RoomCoalescer } from './coalescer.ts';
import { PresenceBatches } from './presence-batches.ts';
import { ReactionBroadcasts } from './reaction-broadcasts.ts';
import type { ChatServer } from './socket-server.ts';

/** The socket room of a chat room's viewers. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;
/** The socket room of every socket of one user. */
export const userChannel = (userId: string): string => `user:${userId}`;

/**
 * Subscribes the broadcasts to `deps.services.events`.
 * @returns `close()`: unsubscribes, cancels pending coalesced flushes and typing timers; a
 *   flush already running when it is called is not logged if it fails (the stores are closing).
 */
export function subscribeBroadcasts(
  io: ChatServer,
  deps: { config: Config; services: Services; logger: Logger; metrics: Metrics },
): { close(): void } {
  const { config, services, logger, metrics } = deps;
  const { events, presence, sessions } = services;
  let closed = false;
  const onFlushError = (err: unknown, roomId: string) => {
    if (!closed) logger.error({ err, room: roomId }, 'broadcast failed');
  };
  const toRoom = (roomId: string) => io.to(roomChannel(roomId));
  /** Sockets of this instance in the room's channel (what a broadcast to it reaches here). */
  const localViewers = (roomId: string) => io.of('/').adapter.rooms.get(roomChannel(roomId))?.size ?? 0;
  /** `STATS_INTERVAL_MS`, longer in a large room (coalescer.ts, `fanoutPacedInterval`). */
  const pacedInterval = (roomId: string) => fanoutPacedInterval(config.statsIntervalMs, localViewers(roomId));

  const stats = new RoomCoalescer(
    pacedInterval,
    async (roomId) => {
      toRoom(roomId).emit('room:stats', await presence.stats(roomId));
    },
    onFlushError,
  );
  /**
   * The session whose scores changed last, per room: a flush reads its board from the hot
   * state alone. Forgotten when a session starts or ends (the flush then asks the ledger which
   * session is current).
   */
  const scoredSession = new Map<string, string>();
  const leaderboard = new RoomCoalescer(
    pacedInterval,
    async (roomId) => {
      const sessionId = scoredSession.get(roomId);
      const update = sessionId
        ? { roomId, sessionId, entries: await services.rewards.leaderboard(sessionId, config.leaderboardSize) }
        : await sessions.leaderboard(roomId);
      if (update) toRoom(roomId).emit('leaderboard:update', update);
    },
    onFlushError,
  );
  // Per-user presence and typing go to small rooms only (SMALL_ROOM_LIMIT viewers); larger
  // rooms get occupancy (`room:stats`) alone. Presence is batched per room like the stats.
  const batches = new PresenceBatches();
  const presenceFlush = new RoomCoalescer(
    config.statsIntervalMs,
    async (roomId) => {
      const { joined, left } = batches.take(roomId);
      if ((joined.length === 0 && left.length === 0) || !(await presence.isSmall(roomId))) return;
      if (joined.length > 0) toRoom(roomId).emit('presence:join', { roomId, users: joined });
      if (left.length > 0) toRoom(roomId).emit('presence:leave', { roomId, users: left });
    },
    onFlushError,
  );
  const reactions = new ReactionBroadcasts({
    intervalMs: config.statsIntervalMs,
    counts: (roomId, messageId) => services.reactions.counts(roomId, messageId),
    emit: (payload) => toRoom(payload.roomId).emit('message:reactions', payload),
    onError: onFlushError,
  });
  const typing = new RoomCoalescer(
    config.statsIntervalMs,
    async (roomId) => {
      if (!(await presence.isSmall(roomId))) return;
      toRoom(roomId).emit('typing', { roomId, users: await presence.typing(roomId) });
    },
    onFlushError,
  );
  /** Re-sends a room's typing list once the entry just set may have expired. */
  const typingExpiry = new Map<string, NodeJS.Timeout>();
  const scheduleTypingExpiry = (roomId: string, inMs: number) => {
    clearTimeout(typingExpiry.get(roomId));
    const timer = setTimeout(() => {
      typingExpiry.delete(roomId);
      typing.schedule(roomId);
    }, inMs + 50);
    typingExpiry.set(roomId, timer);
  };

  const subscriptions = [
    events.on('messageStored', ({ roomId, message }) => {
      metrics.fanoutSize.observe(localViewers(roomId));
      toRoom(roomId).emit('message:new', leanMessage(message));
    }),
    events.on('rewardEarned', ({ userId, reward, connectionId }) => {
      // The sending connection has the reward in its ack already.
      const tabs = io.to(userChannel(userId));
      (connectionId === undefined ? tabs : tabs.except(connectionId)).emit('reward', reward);
    }),
    events.on('likesChanged', ({ roomId, messageId, likes }) => {
      toRoom(roomId).emit('message:likes', { roomId, messageId, likes });
    }),
    events.on('reactionsChanged', ({ roomId, messageId }) => reactions.changedOne(roomId, messageId)),
    events.on('messageDeleted', ({ roomId, messageId }) => {
      toRoom(roomId).emit('message:deleted', { roomId, messageId });
    }),
    events.on('roomUpdated', ({ room }) => {
      toRoom(room.id).emit('room:updated', room);
    }),
    events.on('restrictionChanged', ({ userId, notice }) => {
      io.to(userChannel(userId)).emit('moderation:notice', notice);
    }),
    events.on('sessionEnded', ({ roomId, session }) => {
      scoredSession.delete(roomId);
      toRoom(roomId).emit('session:updated', { roomId, session: toWireSession(session) });
    }),
    events.on('sessionStarted', ({ roomId, session }) => {
      scoredSession.delete(roomId);
      toRoom(roomId).emit('session:updated', { roomId, session: toWireSession(session) });
      leaderboard.schedule(roomId);
      stats.schedule(roomId);
    }),
    events.on('presenceChanged', ({ roomId, user, change }) => {
      batches.add(roomId, user, change);
      presenceFlush.schedule(roomId);
    }),
    events.on('typingChanged', ({ roomId, expiresInMs }) => {
      typing.schedule(roomId);
      if (expiresInMs !== null) scheduleTypingExpiry(roomId, expiresInMs);
    }),
    events.on('leaderboardChanged', ({ roomId, sessionId }) => {
      scoredSession.set(roomId, sessionId);
      leaderboard.schedule(roomId);
    }),
    events.on('statsChanged', ({ roomId }) => stats.schedule(roomId)),
  ];

  return {
    close() {
      closed = true;
      for (const off of subscriptions) off();
      stats.close();
      leaderboard.close();
      reactions.close();
      typing.close();
      presenceFlush.close();
      batches.clear();
      for (const timer of typingExpiry.values()) clearTimeout(timer);
      typingExpiry.clear();
    },
  };
}
