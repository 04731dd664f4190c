/**
 * Presence, occupancy and typing (issue 2): who is in a room, how many distinct users
 * (viewers), and who is typing. A user with several sockets counts once: `presence:join` is
 * for their first socket in the room, `presence:leave` for their last.
 */
import type { RoomStats, UserRef } from 'live-chat-protocol';
import type { ServiceDeps } from './deps.ts';

export interface PresenceService {
  /** Adds a socket; `first`: the user was not in the room before. */
  enter(roomId: string, user: UserRef, socketId: string): Promise<{ first: boolean }>;
  /** Removes a socket; `last`: the user has no socket left in the room. Clears their typing then. */
  exit(roomId: string, userId: string, socketId: string): Promise<{ last: boolean }>;
  /** Viewers (distinct users connected) and the current session's hearts. */
  stats(roomId: string): Promise<RoomStats>;
  /** Marks the user typing for `typingTtlMs` (about 5 s); answers who is typing now. */
  startTyping(roomId: string, user: UserRef): Promise<UserRef[]>;
  /** Answers who is typing after the user stopped. */
  stopTyping(roomId: string, userId: string): Promise<UserRef[]>;
  /** Who is typing now (expired entries dropped). */
  typing(roomId: string): Promise<UserRef[]>;
}

/**
 * Builds the presence service over the hot store (presence and typing are never stored in
 * the ledger; only the session's hearts for `stats` are read from it).
 * @param deps `config.typingTtlMs` (ms a `typing:start` lasts), the clock (ms), the stores.
 * @returns a {@link PresenceService}; its methods reject only when a store fails. Never throws
 *   when built.
 */
export function createPresenceService({ config, ledger, hot, clock }: ServiceDeps): PresenceService {
  return {
    enter: (roomId, user, socketId) => hot.addPresence(roomId, user, socketId),
    async exit(roomId, userId, socketId) {
      const result = await hot.removePresence(roomId, userId, socketId);
      if (result.last) await hot.clearTyping(roomId, userId);
      return result;
    },
    async stats(roomId) {
      const [viewers, session] = await Promise.all([hot.occupancy(roomId), ledger.latestSession(roomId)]);
      return { roomId, viewers, likes: session?.likes ?? 0 };
    },
    async startTyping(roomId, user) {
      const now = clock();
      await hot.setTyping(roomId, user, now + config.typingTtlMs);
      return hot.typingUsers(roomId, now);
    },
    async stopTyping(roomId, userId) {
      await hot.clearTyping(roomId, userId);
      return hot.typingUsers(roomId, clock());
    },
    typing: (roomId) => hot.typingUsers(roomId, clock()),
  };
}
