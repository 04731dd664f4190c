/**
 * Moderation (issue 2): hosts and moderators delete messages and time users out of a room.
 * Everyone else is refused with `forbidden`.
 *
 * A deleted message keeps its seq and place with empty text and `deleted: true`; what it
 * earned stays in the ledger (events are append-only). A timeout lives in the hot store: a
 * restart of a memory-store server lifts it.
 */
import { refuse } from '../errors.ts';
import type { ServiceContext } from './deps.ts';
import { isStaff, type Identity } from './identity.ts';
import type { RoomService } from './rooms.ts';

export interface ModerationService {
  /** Blanks a message and announces `messageDeleted`. @throws `forbidden`, `not_found` (unknown room or message) */
  deleteMessage(identity: Identity, roomId: string, messageId: string): Promise<void>;
  /**
   * Stops `userId` posting in the room for `seconds` (s); their sends answer `timed_out`
   * with `retryAfterMs`.
   * @throws `forbidden`, `not_found` (room)
   */
  timeout(identity: Identity, roomId: string, userId: string, seconds: number): Promise<{ until: number }>;
}

/**
 * Builds the moderation service.
 * @param deps the ledger (message deletion), the hot store (timeouts, until a time in ms from
 *   the clock), the logger (`message deleted`, `user timed out`) and the room service (to find
 *   the room and refuse unknown ones).
 * @returns a {@link ModerationService}; refusals are AppErrors (`forbidden`, `not_found`).
 *   Never throws when built.
 */
export function createModerationService(deps: ServiceContext & { rooms: RoomService }): ModerationService {
  const { ledger, hot, clock, logger, events, rooms } = deps;
  const assertStaff = (identity: Identity) => {
    if (!isStaff(identity)) throw refuse.forbidden('Only hosts and moderators can moderate');
  };
  return {
    async deleteMessage(identity, roomId, messageId) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      const deleted = await ledger.deleteMessage(room.id, messageId);
      if (!deleted) throw refuse.notFound('No such message in this room');
      await hot.patchRecent(room.id, messageId, { text: '', deleted: true });
      logger.info({ room: room.id, user: identity.user.id, seq: deleted.seq, author: deleted.user.id }, 'message deleted');
      events.announce('messageDeleted', { roomId: room.id, messageId });
    },
    async timeout(identity, roomId, userId, seconds) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      const until = clock() + seconds * 1000;
      await hot.setTimeoutUntil(room.id, userId, until);
      logger.info({ room: room.id, user: identity.user.id, target: userId, seconds }, 'user timed out');
      return { until };
    },
  };
}
