/**
 * Socket.IO handlers (docs/protocol.md), thin: each validates its payload (the
 * event's schema, through `onEvent`), checks the socket joined the room, calls ONE service
 * method and acks. Broadcasts are not decided here: the services announce domain events and
 * {@link subscribeBroadcasts} turns them into emits. Socket rooms: `room:<roomId>` for a chat
 * room's viewers, `user:<userId>` for all sockets of one user (the `reward` event).
 *
 * Handshake: `auth: { token }` (or `Authorization: Bearer …`); a forged or expired token, or
 * no token while guests are off, fails the connection with `connect_error` message
 * `unauthorized`.
 */
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config.ts';
import { refuse } from '../errors.ts';
import { bearerToken } from '../http/auth.ts';
import type { Metrics } from '../metrics.ts';
import { type ClientToServerEvents, type WireServerToClientEvents as ServerToClientEvents } from 'live-chat-protocol';
import { clientEventSchemas as schemas } from 'live-chat-protocol/schemas';
import type { Identity } from '../services/identity.ts';
import type { Services } from '../services/index.ts';
import type { Connection } from '../services/presence.ts';
import { toWireSession } from '../services/sessions.ts';
import { InFlight, onEvent } from './ack.ts';
import { JoinHistoryCache } from './join-history.ts';
import { syncCaches } from './cache-sync.ts';
import { subscribeBroadcasts, roomChannel, userChannel } from './broadcasts.ts';
import { startViewerSampling } from './viewer-sampler.ts';
import { keepPresence } from './presence-keeping.ts';

export interface SocketData {
  identity: Identity;
  /** The socket as services see it; knows the chat rooms this socket joined. */
  connection: Connection;
}

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
  config: Config;
  services: Services;
  logger: Logger;
  metrics: Metrics;
}

export interface Realtime {
  /**
   * Refuses client events from now on (ack `internal`, "The server is shutting down; retry")
   * and resolves once every running handler has acked and the acks have left, or after
   * `timeoutMs` (ms).
   * @returns how many handlers were still running then (0 after a clean drain).
   */
  drain(timeoutMs: number): Promise<number>;
  /**
   * With Redis: puts this instance's sockets back into the hot presence as they are now, and
   * announces what that changed (call it when the hot store switched between Redis and
   * memory). Without Redis, nothing. Never throws; failures are logged.
   */
  resyncPresence(): void;
  /** Stops the broadcast subscriptions, the presence heartbeats and the coalescing and typing timers. */
  close(): void;
}

/** The services' view of a socket: its id, whether it is connected, and room subscriptions. */
function connectionOf(socket: ChatSocket): Connection {
  const rooms = new Set<string>();
  return {
    id: socket.id,
    get open() {
      return socket.connected;
    },
    rooms,
    async subscribe(roomId) {
      await socket.join(roomChannel(roomId));
      rooms.add(roomId);
    },
    async unsubscribe(roomId) {
      if (!rooms.delete(roomId)) return false;
      await socket.leave(roomChannel(roomId));
      return true;
    },
  };
}

/**
 * Resolves once every socket's transport has handed what it was given to the OS (so closing
 * the connections next loses no ack), or after `timeoutMs`. engine.io keeps packets in a
 * write buffer while its transport is busy: the buffer is private, hence the cast; if a
 * release renames it, the `drain` test loses acks and fails.
 */
async function flushed(io: ChatServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const busy = () =>
    [...io.of('/').sockets.values()].some((socket) => {
      const conn = socket.conn as unknown as { writeBuffer?: unknown[]; transport: { writable: boolean } };
      return socket.connected && (!conn.transport.writable || (conn.writeBuffer?.length ?? 0) > 0);
    });
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Wires every handler onto `io` and the broadcasts onto the services' domain events. */
export function attachRealtime(io: ChatServer, deps: RealtimeDeps): Realtime {
  const { services, logger, metrics } = deps;
  const { chat, rooms, sessions, presence, moderation, identity: ids } = services;
  const inFlight = new InFlight();
  const context = { logger, metrics, inFlight };
  const joinHistory = new JoinHistoryCache();
  const broadcasts = subscribeBroadcasts(io, deps);
  const unsyncCaches = syncCaches(io as unknown as Server, services, deps.config.redisUrl !== null);
  const sampling = startViewerSampling(io, services.recap, logger, undefined, services.events);
  // Instances sharing Redis reap each other's presence when one dies (presence-keeping.ts).
  const keeping = deps.config.redisUrl ? keepPresence(io, { config: deps.config, presence, logger }) : null;

  /** `not_found` for an unknown room, `forbidden` for one this socket has not joined. */
  async function requireJoined(socket: ChatSocket, roomId: string): Promise<void> {
    if (socket.data.connection.rooms.has(roomId)) return;
    await rooms.get(roomId);
    throw refuse.forbidden('Join the room first');
  }

  io.use((socket, next) => {
    // `auth.token` first; an empty or absent one falls back to `Authorization: Bearer …`
    // (read as HTTP reads it). A header that is not a Bearer token is handed on as it is, so it
    // is refused (and counted) like any bad token instead of silently making a guest.
    const header = socket.handshake.headers.authorization;
    const fromHeader = header ? (bearerToken(header) ?? header) : undefined;
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const given = auth?.token === undefined || auth.token === null || auth.token === '' ? fromHeader : auth.token;
    ids
      .authenticate(given)
      .then((identity) => {
        socket.data.identity = identity;
        socket.data.connection = connectionOf(socket);
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  io.on('connection', (socket: ChatSocket) => {
    const { identity: me, connection } = socket.data;
    metrics.sockets.inc();
    void socket.join(userChannel(me.user.id));

    onEvent(socket, 'room:join', schemas['room:join'], context, async ({ roomId, sinceSeq }) => {
      const joined = await chat.join(me, connection, roomId, sinceSeq);
      // The same history for a crowd of joins is encoded once (join-history.ts).
      return { ...joined, messages: joinHistory.encode(joined.room.id, joined.messages) };
    });

    onEvent(socket, 'room:leave', schemas['room:leave'], context, async ({ roomId }) => {
      await presence.leaveRoom(connection, me.user, roomId);
      return {};
    });

    onEvent(socket, 'message:send', schemas['message:send'], context, async (payload) => {
      await requireJoined(socket, payload.roomId);
      const { message, reward } = await chat.send(me, payload, connection.id);
      return { message, reward };
    });

    onEvent(socket, 'message:like', schemas['message:like'], context, async ({ roomId, messageId }) => {
      await requireJoined(socket, roomId);
      return services.reactions.like(me, roomId, messageId);
    });

    onEvent(socket, 'message:react', schemas['message:react'], context, async ({ roomId, messageId, emoji }) => {
      await requireJoined(socket, roomId);
      return services.reactions.react(me, roomId, messageId, emoji);
    });

    onEvent(socket, 'room:like', schemas['room:like'], context, async ({ roomId, count }) => {
      await requireJoined(socket, roomId);
      return sessions.like(me, roomId, count ?? 1);
    });

    onEvent(socket, 'typing:start', schemas['typing:start'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      await presence.startTyping(me, roomId);
      return {};
    });

    onEvent(socket, 'typing:stop', schemas['typing:stop'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      await presence.stopTyping(roomId, me.user.id);
      return {};
    });

    onEvent(socket, 'mod:delete', schemas['mod:delete'], context, async ({ roomId, messageId }) => {
      await requireJoined(socket, roomId);
      await moderation.deleteMessage(me, roomId, messageId);
      return {};
    });

    onEvent(socket, 'mod:timeout', schemas['mod:timeout'], context, async ({ roomId, userId, seconds, reason }) => {
      await requireJoined(socket, roomId);
      await moderation.timeout(me, roomId, userId, seconds, reason);
      return {};
    });

    onEvent(socket, 'mod:ban', schemas['mod:ban'], context, async ({ roomId, userId, reason }) => {
      await requireJoined(socket, roomId);
      await moderation.ban(me, roomId, userId, reason);
      return {};
    });

    onEvent(socket, 'mod:unban', schemas['mod:unban'], context, async ({ roomId, userId }) => {
      await requireJoined(socket, roomId);
      await moderation.unban(me, roomId, userId);
      return {};
    });

    onEvent(socket, 'room:pin', schemas['room:pin'], context, async ({ roomId, messageId }) => {
      await requireJoined(socket, roomId);
      return { room: await rooms.wire(await moderation.pin(me, roomId, messageId)) };
    });

    onEvent(socket, 'room:update', schemas['room:update'], context, async (payload) => {
      await requireJoined(socket, payload.roomId);
      return { room: await rooms.wire(await rooms.update(me, payload)) };
    });

    onEvent(socket, 'session:start', schemas['session:start'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      return { session: toWireSession(await sessions.start(me, roomId)) };
    });

    onEvent(socket, 'session:end', schemas['session:end'], context, async ({ roomId }) => {
      await requireJoined(socket, roomId);
      const session = await sessions.end(me, roomId);
      return { session: session ? toWireSession(session) : null };
    });

    socket.on('disconnect', () => {
      metrics.sockets.dec();
      void presence.disconnected(connection, me.user);
    });
  });

  return {
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const running = await inFlight.drain(timeoutMs);
      await flushed(io, Math.max(0, deadline - Date.now()));
      return running;
    },
    resyncPresence: () => keeping?.resync(),
    close: () => {
      keeping?.stop();
      broadcasts.close();
      unsyncCaches();
      sampling.stop();
    },
  };
}
