/**
 * Presence, occupancy and typing (issue 2): who is in a room, how many distinct users
 * (viewers), and who is typing. A user with several connections counts once: they are
 * announced `joined` for their first connection in the room and `left` for their last.
 *
 * Announces `presenceChanged`, `statsChanged` (occupancy) and `typingChanged`.
 */
import type { RoomStats, UserRef } from 'live-chat-protocol';
import type { SessionRecord } from '../stores/ledger.ts';
import { presenceKey, type PresenceChanges, type PresenceEntry } from '../stores/hot-store.ts';
import { AppError, refuse } from '../errors.ts';
import type { ServiceContext } from './deps.ts';
import type { Identity, IdentityService } from './identity.ts';
import type { Restrictions } from './moderation.ts';
import type { RoomService } from './rooms.ts';

/**
 * A viewer's live connection as services see it; the realtime layer adapts a socket to it.
 * It knows which rooms it joined; services decide when it subscribes and unsubscribes.
 */
export interface Connection {
  /** Unique among open connections (the transport's id). */
  readonly id: string;
  /** False once the client has gone. */
  readonly open: boolean;
  /** Rooms joined on this connection. */
  readonly rooms: ReadonlySet<string>;
  /** Starts delivering the room's broadcasts here; the room counts as joined once it resolves. */
  subscribe(roomId: string): Promise<void>;
  /** Stops delivering them and forgets the room; false (and nothing done) when it was not joined. */
  unsubscribe(roomId: string): Promise<boolean>;
}

export interface PresenceService {
  /** Adds a connection to the hot presence; `first`: the user was not in the room before. */
  enter(roomId: string, user: UserRef, connectionId: string): Promise<{ first: boolean }>;
  /** Removes a connection; `last`: the user has no connection left in the room. Clears their typing then. */
  exit(roomId: string, userId: string, connectionId: string): Promise<{ last: boolean }>;
  /**
   * Counts a subscribed connection as a viewer of the room (after `connection.subscribe`):
   * announces `presenceChanged` (`joined`, for the user's first connection) and `statsChanged`.
   * @throws `internal` when the connection closed meanwhile (its entry is taken back, so a
   *   viewer that is gone is never counted).
   */
  arrive(connection: Connection, user: UserRef, roomId: string): Promise<void>;
  /**
   * Takes the connection out of the room: unsubscribes it and, when it was in, announces
   * `presenceChanged` (`left`, for the user's last connection, with `typingChanged`) and
   * `statsChanged`. Nothing happens for a room it had not joined.
   */
  leave(connection: Connection, user: UserRef, roomId: string): Promise<void>;
  /** `room:leave`: {@link leave} for a known room. @throws `not_found` */
  leaveRoom(connection: Connection, user: UserRef, roomId: string): Promise<void>;
  /** A closed connection leaves every room it joined; failures are logged, never thrown. */
  disconnected(connection: Connection, user: UserRef): Promise<void>;
  /**
   * Viewers (distinct users connected) and the current session's hearts.
   * @param session the room's current session when the caller has just read it (the join
   *   path): its hearts are used and the ledger is not read; omitted: read from the ledger.
   */
  stats(roomId: string, session?: SessionRecord | null): Promise<RoomStats>;
  /**
   * Instance liveness, run every `PRESENCE_HEARTBEAT_MS` by the realtime layer when instances
   * share Redis (docs/server.md, "Failure behaviour"): marks this instance alive, announces the
   * users of instances silent for `PRESENCE_TIMEOUT_MS` as gone (`presenceChanged` `left`,
   * `statsChanged`), and {@link resync}s when the store had lost this instance.
   * @param local this instance's open connections, one entry per (connection, room joined).
   * @throws when the hot store fails (the next heartbeat tries again).
   */
  heartbeat(local: () => PresenceEntry[]): Promise<void>;
  /**
   * Makes the hot presence of this instance what `local` says, after hot state was lost or
   * kept without it (Redis restarted or came back from an outage, this instance reaped), and
   * announces the users that arrived or went by it. A connection that joined or left a room
   * while the sync ran keeps its own answer: `local` is read again afterwards and what changed
   * meanwhile is added or removed again. Calls run one after another; calls made meanwhile
   * share the next run.
   * @throws when the hot store fails.
   */
  resync(local: () => PresenceEntry[]): Promise<void>;
  /** Occupancy alone: distinct users connected to the room, from the hot store. */
  viewers(roomId: string): Promise<number>;
  /**
   * Whether the room is small (`viewers` at or under `SMALL_ROOM_LIMIT`): only small rooms
   * get per-user `presence:*` and `typing` broadcasts. Reads the occupancy once.
   */
  isSmall(roomId: string): Promise<boolean>;
  /**
   * Marks the user typing for `typingTtlMs` (about 5 s) and announces `typingChanged` with
   * that expiry. @throws `unauthorized` when the identity may not post.
   */
  startTyping(identity: Identity, roomId: string): Promise<void>;
  /** Clears the user's typing and announces `typingChanged`. */
  stopTyping(roomId: string, userId: string): Promise<void>;
  /** After the user sent a message: clears their typing, announcing only when they were typing. */
  sent(roomId: string, userId: string): Promise<void>;
  /** Who is typing now (expired entries dropped). */
  typing(roomId: string): Promise<UserRef[]>;
}

/**
 * Builds the presence service over the hot store (presence and typing are never stored in
 * the ledger; only the session's hearts for `stats` are read from it).
 * @param deps `config.typingTtlMs` (ms a `typing:start` lasts), the clock (ms), the stores,
 *   the identity service (who may type) and the room service (`not_found`).
 * @returns a {@link PresenceService}; its methods reject with the AppErrors listed per method,
 *   or when a store fails. Never throws when built.
 */
export function createPresenceService(
  deps: ServiceContext & { identity: IdentityService; rooms: RoomService; restrictions: Restrictions },
): PresenceService {
  const { config, ledger, hot, clock, logger, metrics, events, identity: ids, rooms, restrictions } = deps;
  const typingChanged = (roomId: string, expiresInMs: number | null) => events.announce('typingChanged', { roomId, expiresInMs });
  /** A user's first connection in a room arrived (`joined`) or their last went (`left`). */
  const presenceChanged = (change: 'joined' | 'left', { roomId, user, socketId }: PresenceEntry) =>
    events.announce('presenceChanged', { roomId, user, change, connectionId: socketId });

  /**
   * Announces what a reap or a sync changed, as {@link PresenceService.leave} does for one
   * connection: each user's arrival or departure (a departed user stops typing too), then
   * each room's occupancy.
   */
  const settle = async ({ joined, left }: PresenceChanges) => {
    await Promise.all(left.map((e) => hot.clearTyping(e.roomId, e.user.id)));
    for (const entry of joined) presenceChanged('joined', entry);
    for (const entry of left) presenceChanged('left', entry);
    for (const roomId of new Set(left.map((e) => e.roomId))) typingChanged(roomId, null);
    for (const roomId of new Set([...joined, ...left].map((e) => e.roomId))) events.announce('statsChanged', { roomId });
  };
  /** The run of `resync` in progress, and the one queued behind it (shared by every call made meanwhile). */
  let syncing: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const syncOnce = async (local: () => PresenceEntry[]) => {
    const synced = local();
    const changes = await hot.syncPresence(synced);
    // Joins and leaves that ran while the sync did: their own add or remove may have come
    // before the sync's, which then undid it. Each is done again (adding and removing are
    // idempotent), and the sync's changes are announced only where they still hold.
    const key = (e: PresenceEntry) => presenceKey(e.roomId, e.user.id, e.socketId);
    const before = new Set(synced.map(key));
    const current = local();
    const now = new Set(current.map(key));
    for (const entry of current) if (!before.has(key(entry))) await service.enter(entry.roomId, entry.user, entry.socketId);
    for (const entry of synced) if (!now.has(key(entry))) await service.exit(entry.roomId, entry.user.id, entry.socketId);
    await settle({
      joined: changes.joined.filter((e) => now.has(key(e))),
      left: changes.left.filter((e) => !now.has(key(e))),
    });
  };

  // Methods call each other through `service`, so a test that wraps one (e.g. a slow
  // `enter`) is seen by the others.
  const service: PresenceService = {
    enter: (roomId, user, connectionId) => hot.addPresence(roomId, user, connectionId),
    async exit(roomId, userId, connectionId) {
      const result = await hot.removePresence(roomId, userId, connectionId);
      if (result.last) await hot.clearTyping(roomId, userId);
      return result;
    },
    async arrive(connection, user, roomId) {
      const { first } = await service.enter(roomId, user, connection.id);
      if (!connection.open) {
        // The connection went while we awaited: its disconnect found nothing to remove yet,
        // so take back the entry here or the viewer would be counted forever.
        await service.exit(roomId, user.id, connection.id);
        throw new AppError('internal', 500, 'The socket disconnected while joining');
      }
      if (first) presenceChanged('joined', { roomId, user, socketId: connection.id });
      events.announce('statsChanged', { roomId });
    },
    async leave(connection, user, roomId) {
      if (!(await connection.unsubscribe(roomId))) return;
      const { last } = await service.exit(roomId, user.id, connection.id);
      if (last) {
        presenceChanged('left', { roomId, user, socketId: connection.id });
        typingChanged(roomId, null);
      }
      events.announce('statsChanged', { roomId });
    },
    async leaveRoom(connection, user, roomId) {
      await rooms.get(roomId);
      await service.leave(connection, user, roomId);
    },
    async disconnected(connection, user) {
      await Promise.all(
        [...connection.rooms].map((roomId) =>
          service.leave(connection, user, roomId).catch((err: unknown) => logger.error({ err, room: roomId }, 'leave on disconnect failed')),
        ),
      );
    },
    async stats(roomId, known) {
      const [viewers, session] = await Promise.all([
        hot.occupancy(roomId),
        known === undefined ? ledger.latestSession(roomId) : known,
      ]);
      return { roomId, viewers, likes: session?.likes ?? 0 };
    },
    async heartbeat(local) {
      const { known, left } = await hot.heartbeat(clock(), config.presenceTimeoutMs);
      if (left.length > 0) {
        logger.warn({ viewers: left.length, timeoutMs: config.presenceTimeoutMs }, 'viewers of a silent instance taken out of presence');
        metrics.presenceReaped.inc(left.length);
      }
      await settle({ joined: [], left });
      if (!known) await service.resync(local);
    },
    resync(local) {
      const run = () => {
        queued = null;
        return syncOnce(local);
      };
      queued ??= syncing = syncing.then(run, run);
      return queued;
    },
    viewers: (roomId) => hot.occupancy(roomId),
    isSmall: async (roomId) => (await hot.occupancy(roomId)) <= config.smallRoomLimit,
    async startTyping(identity, roomId) {
      if (!ids.canPost(identity)) throw refuse.unauthorized('Sign in to chat');
      await restrictions.assertMayAct(roomId, identity.user.id, clock());
      await hot.setTyping(roomId, identity.user, clock() + config.typingTtlMs);
      typingChanged(roomId, config.typingTtlMs);
    },
    async stopTyping(roomId, userId) {
      await hot.clearTyping(roomId, userId);
      typingChanged(roomId, null);
    },
    async sent(roomId, userId) {
      const typing = await hot.typingUsers(roomId, clock());
      if (!typing.some((u) => u.id === userId)) return;
      await hot.clearTyping(roomId, userId);
      typingChanged(roomId, null);
    },
    typing: (roomId) => hot.typingUsers(roomId, clock()),
  };
  return service;
}
