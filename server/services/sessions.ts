/**
 * Sessions: one live event in a room; leaderboards and hearts are per session (issue 3).
 *
 * A room's current session is its newest one. A new session starts with `session:start`,
 * when the chat window opens (noticed at the first join, message or heart after `opensAt`),
 * or implicitly with the first message or heart after the previous session ended. The rule
 * is `needsNewSession` of live-chat-protocol; this service hands it to the ledger's
 * transaction ({@link SessionService.ruleFor}), the ledger holds none.
 *
 * Announces `sessionStarted` for every session it starts, `sessionEnded` when staff end one,
 * `statsChanged` for hearts. Staff starts and ends are written to the moderation log.
 */
import { refuse } from '../errors.ts';
import { chatWindowState, needsNewSession, type LeaderboardEntry, type Session } from 'live-chat-protocol';
import type { RoomRecord, SessionRecord, SessionRule } from '../stores/ledger.ts';
import { iso, type ServiceContext } from './deps.ts';
import { isStaff, type Identity, type IdentityService } from './identity.ts';
import type { RewardService } from './rewards.ts';
import { recordModeration, type Restrictions } from './moderation.ts';
import type { RoomService } from './rooms.ts';

export function toWireSession(s: SessionRecord): Session {
  return { id: s.id, roomId: s.roomId, startedAt: iso(s.startedAt), endedAt: iso(s.endedAt) };
}

/** A room's current leaderboard, as `leaderboard:update` carries it. */
export interface LeaderboardUpdate {
  roomId: string;
  sessionId: string;
  entries: LeaderboardEntry[];
}

export interface SessionService {
  /**
   * The session rule for a message or heart in `room` at `now` (ms), as the ledger's
   * transaction applies it: a new session when the newest has ended, or started before a chat
   * window that has opened since.
   */
  ruleFor(room: RoomRecord, now: number): SessionRule;
  /**
   * The session to show for a room: the newest one, after starting a new one if the room's
   * window has opened since the newest started. Null before the first session.
   * @param latest the room's newest session when the caller read it with the room (no read
   *   here then, unless the window rule needs its transaction).
   */
  current(room: RoomRecord, latest?: SessionRecord | null): Promise<SessionRecord | null>;
  /** A session of the room by id. @throws `not_found` (unknown, or of another room) */
  get(room: RoomRecord, sessionId: string): Promise<SessionRecord>;
  /**
   * Ends the open session and starts a new one; logs `session_start`.
   * @throws `not_found`, `forbidden` (not host or moderator)
   */
  start(identity: Identity, roomId: string): Promise<SessionRecord>;
  /**
   * Ends the open session (null when none is open), announcing `sessionEnded` and logging
   * `session_end` when one was open.
   * @throws `not_found`, `forbidden`
   */
  end(identity: Identity, roomId: string): Promise<SessionRecord | null>;
  /**
   * Counts `count` hearts for the room's current session (starting one when needed).
   * Limited to `ROOM_LIKES_PER_MINUTE` hearts per user per room (`rate_limited`).
   * The hearts are counted for the current UTC minute too (the session recap).
   * @returns the session's hearts so far.
   * @throws `not_found`, `unauthorized` (may not post), `banned`, `timed_out`, `rate_limited` with `retryAfterMs`
   */
  like(identity: Identity, roomId: string, count: number): Promise<{ likes: number }>;
  /** The top `LEADERBOARD_SIZE` of the room's current session; null before the first session. */
  leaderboard(roomId: string): Promise<LeaderboardUpdate | null>;
}

interface SessionDeps extends ServiceContext {
  identity: IdentityService;
  rooms: RoomService;
  rewards: RewardService;
  restrictions: Restrictions;
}

/**
 * Builds the session service.
 * @param deps the ledger holds sessions and their hearts; the hot store rate-limits hearts
 *   (`ROOM_LIKES_PER_MINUTE` per user per room per sliding minute); the clock (ms) stamps
 *   starts and ends; the logger gets `session started` / `ended`; `events` gets
 *   `sessionStarted` and `statsChanged`.
 * @returns a {@link SessionService}; refusals are AppErrors (`forbidden`, `not_found`,
 *   `unauthorized`, `rate_limited` with `retryAfterMs`). Never throws when built.
 */
export function createSessionService(deps: SessionDeps): SessionService {
  const { config, ledger, hot, clock, logger, events, identity: ids, rooms, rewards, restrictions } = deps;
  const assertStaff = (identity: Identity, what: string) => {
    if (!isStaff(identity)) throw refuse.forbidden(`Only hosts and moderators can ${what} a session`);
  };
  const ruleFor = (room: RoomRecord, now: number): SessionRule => (latest) => needsNewSession(latest, room.opensAt, now);
  const started = (session: SessionRecord) => events.announce('sessionStarted', { roomId: session.roomId, session });

  const service: SessionService = {
    ruleFor,
    async current(room, latest) {
      const now = clock();
      if (room.opensAt !== null && chatWindowState(room, now).open) {
        const ensured = await ledger.ensureSession(room.id, now, ruleFor(room, now));
        if (ensured.started) {
          logger.info({ room: room.id, session: ensured.session.id }, 'session started (window opened)');
          started(ensured.session);
        }
        return ensured.session;
      }
      return latest !== undefined ? latest : ledger.latestSession(room.id);
    },
    async get(room, sessionId) {
      const session = await ledger.getSession(sessionId);
      if (!session || session.roomId !== room.id) throw refuse.notFound(`No session "${sessionId}" in this room`);
      return session;
    },
    async start(identity, roomId) {
      const room = await rooms.get(roomId);
      assertStaff(identity, 'start');
      const session = await ledger.startSession(room.id, clock());
      logger.info({ room: room.id, session: session.id, user: identity.user.id }, 'session started');
      started(session);
      await recordModeration(deps, identity, room.id, 'session_start', { details: { sessionId: session.id } });
      return session;
    },
    async end(identity, roomId) {
      const room = await rooms.get(roomId);
      assertStaff(identity, 'end');
      const session = await ledger.endSession(room.id, clock());
      if (session) {
        logger.info({ room: room.id, session: session.id, user: identity.user.id }, 'session ended');
        events.announce('sessionEnded', { roomId: room.id, session });
        await recordModeration(deps, identity, room.id, 'session_end', { details: { sessionId: session.id } });
      }
      return session;
    },
    async like(identity, roomId, count) {
      const room = await rooms.get(roomId);
      if (!ids.canPost(identity)) throw refuse.unauthorized('Sign in to send hearts');
      const now = clock();
      await restrictions.assertMayAct(room.id, identity.user.id, now);
      const rate = await hot.takeRate(
        [{ key: `hearts:${room.id}:${identity.user.id}`, limit: config.roomLikesPerMinute, windowMs: 60_000, weight: count }],
        now,
      );
      if (!rate.allowed) throw refuse.rateLimited(rate.retryAfterMs, 'Too many hearts, slow down');
      const ensured = await ledger.ensureSession(room.id, now, ruleFor(room, now));
      const likes = await ledger.addSessionLikes(ensured.session.id, count, now);
      if (ensured.started) started(ensured.session);
      events.announce('statsChanged', { roomId: room.id });
      return { likes };
    },
    async leaderboard(roomId) {
      const room = await ledger.getRoom(roomId);
      const session = room && (await service.current(room));
      if (!session) return null;
      return { roomId, sessionId: session.id, entries: await rewards.leaderboard(session.id, config.leaderboardSize) };
    },
  };
  return service;
}
