/**
 * Sessions: one live event in a room; leaderboards and hearts are per session (issue 3).
 *
 * A room's current session is its newest one. A new session starts with `session:start`,
 * when the chat window opens (noticed at the first join, message or heart after `opensAt`),
 * or implicitly with the first message or heart after the previous session ended.
 */
import { refuse } from '../errors.ts';
import { chatWindowState, type Session } from 'live-chat-protocol';
import type { RoomRecord, SessionRecord } from '../stores/ledger.ts';
import { iso, type ServiceDeps } from './deps.ts';
import { isStaff, type Identity } from './identity.ts';

export function toWireSession(s: SessionRecord): Session {
  return { id: s.id, roomId: s.roomId, startedAt: iso(s.startedAt), endedAt: iso(s.endedAt) };
}

export interface SessionService {
  /**
   * The session to show for a room: the newest one, after starting a new one if the room's
   * window has opened since the newest started. Null before the first session.
   */
  current(room: RoomRecord): Promise<SessionRecord | null>;
  /** A session of the room by id. @throws `not_found` (unknown, or of another room) */
  get(room: RoomRecord, sessionId: string): Promise<SessionRecord>;
  /** Ends the open session and starts a new one. Hosts and moderators only (`forbidden`). */
  start(identity: Identity, room: RoomRecord): Promise<SessionRecord>;
  /** Ends the open session (null when none is open). Hosts and moderators only. */
  end(identity: Identity, room: RoomRecord): Promise<SessionRecord | null>;
  /**
   * Counts `count` hearts for the room's current session (starting one when needed).
   * Limited to `ROOM_LIKES_PER_MINUTE` hearts per user per room (`rate_limited`).
   * @returns the session's hearts so far, and the session when it was just started.
   */
  like(identity: Identity, room: RoomRecord, count: number): Promise<{ likes: number; started: SessionRecord | null }>;
}

/**
 * Builds the session service.
 * @param deps the ledger holds sessions and their hearts; the hot store rate-limits hearts
 *   (`ROOM_LIKES_PER_MINUTE` per user per room per sliding minute); the clock (ms) stamps
 *   starts and ends; the logger gets `session started` / `ended`.
 * @returns a {@link SessionService}; refusals are AppErrors (`forbidden`, `not_found`,
 *   `rate_limited` with `retryAfterMs`). Never throws when built.
 */
export function createSessionService({ config, ledger, hot, clock, logger }: ServiceDeps): SessionService {
  return {
    async current(room) {
      const now = clock();
      if (room.opensAt !== null && chatWindowState(room, now).open) {
        const { session, started } = await ledger.ensureSession(room.id, now, room.opensAt);
        if (started) logger.info({ room: room.id, session: session.id }, 'session started (window opened)');
        return session;
      }
      return ledger.latestSession(room.id);
    },
    async get(room, sessionId) {
      const session = await ledger.getSession(sessionId);
      if (!session || session.roomId !== room.id) throw refuse.notFound(`No session "${sessionId}" in this room`);
      return session;
    },
    async start(identity, room) {
      if (!isStaff(identity)) throw refuse.forbidden('Only hosts and moderators can start a session');
      const session = await ledger.startSession(room.id, clock());
      logger.info({ room: room.id, session: session.id, user: identity.user.id }, 'session started');
      return session;
    },
    async end(identity, room) {
      if (!isStaff(identity)) throw refuse.forbidden('Only hosts and moderators can end a session');
      const session = await ledger.endSession(room.id, clock());
      if (session) logger.info({ room: room.id, session: session.id, user: identity.user.id }, 'session ended');
      return session;
    },
    async like(identity, room, count) {
      const now = clock();
      const rate = await hot.takeRate(
        [{ key: `hearts:${room.id}:${identity.user.id}`, limit: config.roomLikesPerMinute, windowMs: 60_000, weight: count }],
        now,
      );
      if (!rate.allowed) throw refuse.rateLimited(rate.retryAfterMs, 'Too many hearts, slow down');
      const { session, started } = await ledger.ensureSession(room.id, now, room.opensAt);
      const likes = await ledger.addSessionLikes(session.id, count);
      return { likes, started: started ? session : null };
    },
  };
}
