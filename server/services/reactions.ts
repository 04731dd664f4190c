/**
 * Reactions (issue 10; docs/protocol.md, "Rules"): the fixed set `REACTIONS`, one of each per
 * user per message, toggled. The like is the ❤️ reaction: `message:like` is `message:react`
 * with ❤️ answered as `{ likes }`, and `Message.likes` is the ❤️ count.
 *
 * Who may react: whoever may post (signed-in users; guests only with `GUEST_CAN_POST`), not
 * banned or timed out in the room, at most `REACTIONS_PER_MINUTE` toggles per room per sliding
 * minute (`rate_limited`: a toggle is a ledger write and a broadcast). A toggle is one ledger transaction (counts exact under any
 * concurrency); then the message in the recent window is patched and `reactionsChanged` is
 * announced (coalesced per room into `message:reactions`), with `likesChanged` too when the
 * ❤️ count changed (`message:likes`, for clients that know only likes).
 */
import { LIKE_REACTION, type LikesAck, type ReactAck, type Reaction, type ReactionCounts } from 'live-chat-protocol';
import { refuse } from '../errors.ts';
import type { ServiceContext } from './deps.ts';
import type { Identity, IdentityService } from './identity.ts';
import type { Restrictions } from './moderation.ts';
import type { RoomService } from './rooms.ts';

export interface ReactionService {
  /**
   * `message:react`: adds the caller's `emoji` on a message, or removes it when present.
   * @returns the message's counts (zero counts omitted) and the caller's reactions on it, in
   *   `REACTIONS` order.
   * @throws `not_found` (room, or an unknown or deleted message), `forbidden` (private room),
   *   `unauthorized` (a guest without `GUEST_CAN_POST`), `banned`, `timed_out`,
   *   `rate_limited` (with `retryAfterMs`, over `REACTIONS_PER_MINUTE`)
   */
  react(identity: Identity, roomId: string, messageId: string, emoji: Reaction): Promise<ReactAck>;
  /** `message:like`: {@link react} with ❤️, answered with the ❤️ count. Same errors. */
  like(identity: Identity, roomId: string, messageId: string): Promise<LikesAck>;
  /** A message's current counts, for the coalesced broadcast; null when unknown or deleted. */
  counts(roomId: string, messageId: string): Promise<ReactionCounts | null>;
}

/**
 * Builds the reaction service.
 * @param deps the ledger (the toggle), the hot store (the recent window's copy and the rate
 *   window), config (`reactionsPerMinute`), the clock (ms, for restrictions and the rate window), `events`, and the identity, room and restriction services.
 * @returns a {@link ReactionService}; refusals are AppErrors. Never throws when built.
 */
export function createReactionService(
  deps: ServiceContext & { identity: IdentityService; rooms: RoomService; restrictions: Restrictions },
): ReactionService {
  const { config, ledger, hot, clock, events, identity: ids, rooms, restrictions } = deps;

  async function toggle(identity: Identity, roomId: string, messageId: string, emoji: Reaction): Promise<ReactAck> {
    const room = await rooms.getVisibleSettings(identity, roomId);
    if (!ids.canPost(identity)) throw refuse.unauthorized('Sign in to react to messages');
    const now = clock();
    await restrictions.assertMayAct(room.id, identity.user.id, now);
    const rate = await hot.takeRate([{ key: `react:${room.id}:${identity.user.id}`, limit: config.reactionsPerMinute, windowMs: 60_000 }], now);
    if (!rate.allowed) throw refuse.rateLimited(rate.retryAfterMs);
    const result = await ledger.toggleReaction(room.id, messageId, identity.user.id, emoji);
    if (!result) throw refuse.notFound('No such message in this room');
    const likes = result.reactions[LIKE_REACTION] ?? 0;
    // No reactions left: none on the wire (toWireMessage), so none in the window either.
    const reactions = Object.keys(result.reactions).length > 0 ? result.reactions : undefined;
    await hot.patchRecent(room.id, messageId, { reactions, likes });
    events.announce('reactionsChanged', { roomId: room.id, messageId });
    if (emoji === LIKE_REACTION) events.announce('likesChanged', { roomId: room.id, messageId, likes });
    return { reactions: result.reactions, mine: result.mine };
  }

  return {
    react: toggle,
    async like(identity, roomId, messageId) {
      const { reactions } = await toggle(identity, roomId, messageId, LIKE_REACTION);
      return { likes: reactions[LIKE_REACTION] ?? 0 };
    },
    async counts(roomId, messageId) {
      const message = await ledger.getMessage(roomId, messageId);
      return message && !message.deleted ? message.reactions : null;
    },
  };
}
