/**
 * Socket.IO handlers (DESIGN.md "Wire contract"): thin — they check the socket joined the
 * room, call services, ack, and broadcast. Socket rooms: `room:<roomId>` for a chat room's
 * viewers, `user:<userId>` for all sockets of one user (the `reward` event).
 *
 * Handshake: `auth: { token }` (or `Authorization: Bearer …`); a forged or expired token, or
 * no token while guests are off, fails the connection with `connect_error` message
 * `unauthorized`.
 */
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config.ts';
import { AppError, refuse } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { type ClientToServerEvents, type JoinAck, type ServerToClientEvents } from 'live-chat-protocol';
import { clientEventSchemas as schemas } from 'live-chat-protocol/schemas';
import type { Identity } from '../services/identity.ts';
import type { Services } from '../services/index.ts';
import { toWireRoom } from '../services/rooms.ts';
import { toWireSession } from '../services/sessions.ts';
import { onEvent } from './ack.ts';
import { RoomCoalescer } from './coalescer.ts';

export interface SocketData {
  identity: Identity;
  /** Chat rooms this socket joined. */
  joined: Set<string>;
}

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
  config: Config;
  services: Services;
  logger: Logger;
  metrics: Metrics;
}

const roomChannel = (roomId: string) => `room:${roomId}`;
const userChannel = (userId: string) => `user:${userId}`;

/** Wires every handler onto `io`; `close()` stops the coalescing and typing timers. */
export function attachRealtime(io: ChatServer, deps: RealtimeDeps): { close(): void } {
  const { config, services, logger, metrics } = deps;
  const { chat, rooms, sessions, rewards, presence, moderation, identity: ids } = services;
  const context = { logger, metrics };
  const onFlushError = (err: unknown, roomId: string) => logger.error({ err, room: roomId }, 'broadcast failed');

  const stats = new RoomCoalescer(
    config.statsIntervalMs,
    async (roomId) => {
      io.to(roomChannel(roomId)).emit('room:stats', await presence.stats(roomId));
    },
    onFlushError,
  );
  const leaderboard = new RoomCoalescer(
    config.statsIntervalMs,
    async (roomId) => {
      const room = await rooms.get(roomId).catch(() => null);
      const session = room && (await sessions.current(room));
      if (!session) return;
      const entries = await rewards.leaderboard(session.id, config.leaderboardSize);
      io.to(roomChannel(roomId)).emit('leaderboard:update', { roomId, sessionId: session.id, entries });
    },
    onFlushError,
  );
  const typing = new RoomCoalescer(
    config.statsIntervalMs,
    async (roomId) => {
      io.to(roomChannel(roomId)).emit('typing', { roomId, users: await presence.typing(roomId) });
    },
    onFlushError,
  );
  /** Re-sends a room's typing list once entries may have expired. */
  const typingExpiry = new Map<string, NodeJS.Timeout>();
  const scheduleTypingExpiry = (roomId: string) => {
    clearTimeout(typingExpiry.get(roomId));
    const timer = setTimeout(() => {
      typingExpiry.delete(roomId);
      typing.schedule(roomId);
    }, config.typingTtlMs + 50);
    typingExpiry.set(roomId, timer);
  };

  /** `not_found` for an unknown room, `forbidden` for one this socket has not joined. */
  async function requireJoined(socket: ChatSocket, roomId: string) {
    const room = await rooms.get(roomId);
    if (!socket.data.joined.has(room.id)) throw refuse.forbidden('Join the room first');
    return room;
  }

  async function leave(socket: ChatSocket, roomId: string) {
    if (!socket.data.joined.delete(roomId)) return;
    await socket.leave(roomChannel(roomId));
    const user = socket.data.identity.user;
    const { last } = await presence.exit(roomId, user.id, socket.id);
    if (last) {
      io.to(roomChannel(roomId)).emit('presence:leave', { roomId, user });
      typing.schedule(roomId);
    }
    stats.schedule(roomId);
  }

  io.use((socket, next) => {
    const header = socket.handshake.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    ids
      .authenticate(auth?.token ?? bearer)
      .then((identity) => {
        socket.data.identity = identity;
        socket.data.joined = new Set();
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  io.on('connection', (socket: ChatSocket) => {
    const me = socket.data.identity;
    metrics.sockets.inc();
    void socket.join(userChannel(me.user.id));

    onEvent(socket, 'room:join', schemas['room:join'], context, async ({ roomId, sinceSeq }): Promise<JoinAck> => {
      await rooms.getVisible(me, roomId);
      const rejoin = socket.data.joined.has(roomId);
      // Subscribe before reading history, so nothing committed meanwhile is missed.
      await socket.join(roomChannel(roomId));
      socket.data.joined.add(roomId);
      try {
        const joined = await chat.join(me, roomId, sinceSeq);
        if (!rejoin) {
          const { first } = await presence.enter(roomId, me.user, socket.id);
          if (socket.disconnected) {
            // The socket went while we awaited: its disconnect handler found nothing to remove
            // yet, so take back the entry here or the viewer would be counted forever.
            await presence.exit(roomId, me.user.id, socket.id);
            throw new AppError('internal', 500, 'The socket disconnected while joining');
          }
          if (first) socket.to(roomChannel(roomId)).emit('presence:join', { roomId, user: me.user });
          stats.schedule(roomId);
        }
        const [progress, board, roomStats] = await Promise.all([
          me.guest ? null : rewards.progress(me.user.id),
          joined.session ? rewards.leaderboard(joined.session.id, config.leaderboardSize) : [],
          presence.stats(roomId),
        ]);
        return {
          room: toWireRoom(joined.room),
          session: joined.session ? toWireSession(joined.session) : null,
          messages: joined.messages,
          me: { user: me.user, guest: me.guest, canPost: ids.canPost(me), progress },
          leaderboard: board,
          stats: roomStats,
          gap: joined.gap,
          limits: { maxMessageLength: config.maxMessageLength },
        };
      } catch (err) {
        if (!rejoin) await leave(socket, roomId);
        throw err;
      }
    });

    onEvent(socket, 'room:leave', schemas['room:leave'], context, async ({ roomId }) => {
      await rooms.get(roomId);
      await leave(socket, roomId);
      return {};
    });

    onEvent(socket, 'message:send', schemas['message:send'], context, async (payload) => {
      await requireJoined(socket, payload.roomId);
      const result = await chat.send(me, payload, (message) => {
        io.to(roomChannel(payload.roomId)).emit('message:new', message);
      });
      // Sent again for a retried clientId: the first attempt may have failed before sending
      // it. Clients dedupe rewards by `messageId`.
      if (result.reward && (result.reward.xp !== 0 || result.reward.coins !== 0)) {
        io.to(userChannel(me.user.id)).emit('reward', result.reward);
      }
      if (!me.guest || result.sessionStarted) leaderboard.schedule(payload.roomId);
      if (!result.duplicate) {
        if (result.sessionStarted) stats.schedule(payload.roomId);
        const typingNow = await presence.typing(payload.roomId);
        if (typingNow.some((u) => u.id === me.user.id)) {
          await presence.stopTyping(payload.roomId, me.user.id);
          typing.schedule(payload.roomId);
        }
      }
      return { message: result.message, reward: result.reward };
    });

    onEvent(socket, 'message:like', schemas['message:like'], context, async ({ roomId, messageId }) => {
      await requireJoined(socket, roomId);
      const { likes } = await chat.like(me, roomId, messageId);
      io.to(roomChannel(roomId)).emit('message:likes', { roomId, messageId, likes });
      return { likes };
    });

    onEvent(socket, 'room:like', schemas['room:like'], context, async ({ roomId, count }) => {
      const room = await requireJoined(socket, roomId);
      if (!ids.canPost(me)) throw refuse.unauthorized('Sign in to send hearts');
      const { likes, started } = await sessions.like(me, room, count ?? 1);
      stats.schedule(roomId);
      if (started) leaderboard.schedule(roomId);
      return { likes };
    });

    onEvent(socket, 'typing:start', schemas['typing:start'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      if (!ids.canPost(me)) throw refuse.unauthorized('Sign in to chat');
      await presence.startTyping(roomId, me.user);
      typing.schedule(roomId);
      scheduleTypingExpiry(roomId);
      return {};
    });

    onEvent(socket, 'typing:stop', schemas['typing:stop'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      await presence.stopTyping(roomId, me.user.id);
      typing.schedule(roomId);
      return {};
    });

    onEvent(socket, 'mod:delete', schemas['mod:delete'], context, async ({ roomId, messageId }) => {
      await requireJoined(socket, roomId);
      await moderation.deleteMessage(me, roomId, messageId);
      io.to(roomChannel(roomId)).emit('message:deleted', { roomId, messageId });
      return {};
    });

    onEvent(socket, 'mod:timeout', schemas['mod:timeout'], context, async ({ roomId, userId, seconds }) => {
      await requireJoined(socket, roomId);
      await moderation.timeout(me, roomId, userId, seconds);
      return {};
    });

    onEvent(socket, 'room:update', schemas['room:update'], context, async (payload) => {
      await requireJoined(socket, payload.roomId);
      const room = toWireRoom(await rooms.update(me, payload));
      io.to(roomChannel(room.id)).emit('room:updated', room);
      return { room };
    });

    onEvent(socket, 'session:start', schemas['session:start'], context, async ({ roomId }) => {
      const room = await requireJoined(socket, roomId);
      const session = await sessions.start(me, room);
      leaderboard.schedule(roomId);
      stats.schedule(roomId);
      return { session: toWireSession(session) };
    });

    onEvent(socket, 'session:end', schemas['session:end'], context, async ({ roomId }) => {
      const room = await requireJoined(socket, roomId);
      const session = await sessions.end(me, room);
      return { session: session ? toWireSession(session) : null };
    });

    socket.on('disconnect', () => {
      metrics.sockets.dec();
      for (const roomId of [...socket.data.joined]) {
        leave(socket, roomId).catch((err: unknown) => logger.error({ err, room: roomId }, 'leave on disconnect failed'));
      }
    });
  });

  return {
    close() {
      stats.close();
      leaderboard.close();
      typing.close();
      for (const timer of typingExpiry.values()) clearTimeout(timer);
      typingExpiry.clear();
    },
  };
}
