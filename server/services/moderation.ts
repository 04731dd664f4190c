/**
 * Moderation (issues 2 and 9): hosts and moderators delete messages, time users out, ban and
 * unban them, pin a message; every such action is written to the room's moderation log.
 * Everyone else is refused with `forbidden`.
 *
 * - A deleted message keeps its seq and place with empty text and `deleted: true`. What it
 *   earned stays: XP and coin events are append-only and the award was earned under the
 *   daily cap and the coin cooldown when it was sent, so the totals, the leaderboard and the
 *   recap keep it (docs/protocol.md, "Rules"). Deleting the pinned message unpins it.
 * - Restrictions (a timeout, a ban) are stored in the ledger, so they survive restarts and
 *   reconnects; a ban lasts until `mod:unban`, a timeout until its end. A restricted user may
 *   still join and read; their sends, likes, reactions, hearts and typing are refused with
 *   `banned` (the reason as the message) or `timed_out` (with `retryAfterMs`); a ban wins
 *   over a timeout. The user's sockets get `moderation:notice` (announced as
 *   `restrictionChanged`) and the join ack carries `me.restriction`.
 *
 * Announces `messageDeleted`, `restrictionChanged` and `roomUpdated` (pin).
 */
import { LRUCache } from 'lru-cache';
import type { ModerationAction, ModerationEntry, Restriction } from 'live-chat-protocol';
import { refuse } from '../errors.ts';
import type { Ledger, RestrictionRecord, RoomRecord } from '../stores/ledger.ts';
import { iso, type ServiceContext } from './deps.ts';
import { isStaff, type Identity } from './identity.ts';
import { blankCachedQuotes } from './replies.ts';
import type { RoomService } from './rooms.ts';

/** The wire form of a restriction (`me.restriction`). */
export function toWireRestriction(r: RestrictionRecord | null): Restriction | null {
  return r && { kind: r.kind, until: iso(r.until), reason: r.reason };
}

/** What a moderator gave as a reason: cleaned by the schema (`plainTextSchema`); empty means none. */
const reasonOf = (reason: string | undefined): string | null => (reason ? reason : null);

/**
 * Writes one action to the room's moderation log, at the clock's time (ms).
 * @param fields who the action is about, the message, the reason and action-specific details.
 * @throws when the ledger fails (the action itself is already done).
 */
export async function recordModeration(
  deps: { ledger: Ledger; clock: () => number },
  identity: Identity,
  roomId: string,
  action: ModerationAction,
  fields: { targetUserId?: string | null; messageId?: string | null; reason?: string | null; details?: Record<string, unknown> | null } = {},
): Promise<void> {
  await deps.ledger.appendModeration({
    roomId,
    at: deps.clock(),
    actor: identity.user,
    action,
    targetUserId: fields.targetUserId ?? null,
    messageId: fields.messageId ?? null,
    reason: fields.reason ?? null,
    details: fields.details ?? null,
  });
}

export interface Restrictions {
  /** The user's running restriction in the room at `now` (ms): a ban, else a running timeout, else null. */
  current(roomId: string, userId: string, now: number): Promise<RestrictionRecord | null>;
  /**
   * Refuses a restricted user.
   * @throws `banned` (message: the reason), `timed_out` with `retryAfterMs` until the timeout ends
   */
  assertMayAct(roomId: string, userId: string, now: number): Promise<void>;
  /** Drops the cached restrictions of the user in the room (another instance changed them). */
  forget(roomId: string, userId: string): void;
}

/**
 * How long a user's restrictions read for a send are used again, in ms: a timeout or ban made
 * on another instance applies here at once through {@link Restrictions.forget} (Redis), or
 * after at most this long when the instances cannot tell each other.
 */
export const RESTRICTIONS_TTL_MS = 5000;
/** (room, user) pairs whose restrictions are kept (least recently used dropped first). */
const RESTRICTIONS_MAX = 100_000;

/**
 * Builds the restriction checks over the ledger: one indexed read per (room, user), kept
 * {@link RESTRICTIONS_TTL_MS} and dropped when a change is announced (`restrictionChanged`)
 * here or by another instance ({@link Restrictions.forget}). Never throws when built.
 */
export function createRestrictions({ ledger, events }: Pick<ServiceContext, 'ledger' | 'events'>): Restrictions {
  const cache = new LRUCache<string, RestrictionRecord[]>({ max: RESTRICTIONS_MAX, ttl: RESTRICTIONS_TTL_MS });
  const key = (roomId: string, userId: string) => `${roomId}\u0000${userId}`;
  events.on('restrictionChanged', ({ userId, notice }) => cache.delete(key(notice.roomId, userId)));
  const service: Restrictions = {
    async current(roomId, userId, now) {
      let all = cache.get(key(roomId, userId));
      if (!all) cache.set(key(roomId, userId), (all = await ledger.restrictionsOf(roomId, userId)));
      const ban = all.find((r) => r.kind === 'ban');
      if (ban) return ban;
      return all.find((r) => r.kind === 'timeout' && r.until !== null && r.until > now) ?? null;
    },
    async assertMayAct(roomId, userId, now) {
      const running = await service.current(roomId, userId, now);
      if (!running) return;
      if (running.kind === 'ban') throw refuse.banned(running.reason);
      throw refuse.timedOut(running.until! - now, running.reason ?? undefined);
    },
    forget(roomId, userId) {
      cache.delete(key(roomId, userId));
    },
  };
  return service;
}

export interface ModerationService {
  /**
   * Blanks a message, announces `messageDeleted`, unpins it when it was pinned (announcing
   * `roomUpdated`), and logs `delete`.
   * @throws `forbidden`, `not_found` (unknown room or message)
   */
  deleteMessage(identity: Identity, roomId: string, messageId: string): Promise<void>;
  /**
   * Stops `userId` posting in the room for `seconds` (s), replacing a running timeout; their
   * sends answer `timed_out` with `retryAfterMs`. Sends them `moderation:notice`; logs `timeout`.
   * @returns the end of the timeout (ms).
   * @throws `forbidden`, `not_found` (room)
   */
  timeout(identity: Identity, roomId: string, userId: string, seconds: number, reason?: string): Promise<{ until: number }>;
  /** Bans `userId` from acting in the room until unbanned; `moderation:notice`; logs `ban`. @throws `forbidden`, `not_found` */
  ban(identity: Identity, roomId: string, userId: string, reason?: string): Promise<void>;
  /** Lifts a ban (nothing happens, and nothing is logged, when there was none). @throws `forbidden`, `not_found` */
  unban(identity: Identity, roomId: string, userId: string): Promise<void>;
  /**
   * Pins a message of the room (or unpins with null), announces `roomUpdated`, logs `pin` / `unpin`.
   * @returns the updated room.
   * @throws `forbidden`, `not_found` (room, or a message unknown, of another room or deleted)
   */
  pin(identity: Identity, roomId: string, messageId: string | null): Promise<RoomRecord>;
  /**
   * The room's moderation log, newest first: up to `limit` entries older than the entry
   * `before` (an id; newest when absent).
   * @throws `unauthorized` (no identity or a guest), `forbidden` (not a host or moderator), `not_found`
   */
  log(identity: Identity | null, roomId: string, before: number | undefined, limit: number): Promise<ModerationEntry[]>;
}

/**
 * Builds the moderation service.
 * @param deps the ledger (deletion, restrictions, pins, the log), the clock (ms), the logger
 *   (`message deleted`, `user timed out`, `user banned`, …), `events` to announce on, the
 *   room service (unknown rooms, the wire room) and the restriction checks.
 * @returns a {@link ModerationService}; refusals are AppErrors (`unauthorized`, `forbidden`,
 *   `not_found`). Never throws when built.
 */
export function createModerationService(
  deps: ServiceContext & { rooms: RoomService; restrictions: Restrictions },
): ModerationService {
  const { ledger, hot, clock, logger, events, rooms } = deps;
  const assertStaff = (identity: Identity) => {
    if (!isStaff(identity)) throw refuse.forbidden('Only hosts and moderators can moderate');
  };
  const record = (identity: Identity, roomId: string, action: ModerationAction, fields?: Parameters<typeof recordModeration>[4]) =>
    recordModeration(deps, identity, roomId, action, fields);

  return {
    async deleteMessage(identity, roomId, messageId) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      const deleted = await ledger.deleteMessage(room.id, messageId);
      if (!deleted) throw refuse.notFound('No such message in this room');
      // As toWireMessage sends a deleted message: no text, quote or reactions.
      await hot.patchRecent(room.id, messageId, { text: '', deleted: true, replyTo: undefined, reactions: undefined });
      await blankCachedQuotes({ ledger, hot }, deleted);
      logger.info({ room: room.id, user: identity.user.id, seq: deleted.seq, author: deleted.user.id }, 'message deleted');
      events.announce('messageDeleted', { roomId: room.id, messageId });
      const unpinned = room.pinnedMessageId === messageId;
      await record(identity, room.id, 'delete', {
        targetUserId: deleted.user.id,
        messageId,
        details: { seq: deleted.seq, ...(unpinned ? { unpinned: true } : {}) },
      });
      if (unpinned) {
        const updated = await ledger.updateRoom(room.id, { pinnedMessageId: null });
        if (updated) events.announce('roomUpdated', { room: await rooms.wire(updated) });
      }
    },

    async timeout(identity, roomId, userId, seconds, reason) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      const now = clock();
      const until = now + seconds * 1000;
      const why = reasonOf(reason);
      await ledger.setRestriction({ roomId: room.id, userId, kind: 'timeout', until, reason: why, actorId: identity.user.id, createdAt: now });
      logger.info({ room: room.id, user: identity.user.id, target: userId, seconds }, 'user timed out');
      events.announce('restrictionChanged', { userId, notice: { roomId: room.id, kind: 'timeout', until: iso(until), reason: why } });
      await record(identity, room.id, 'timeout', { targetUserId: userId, reason: why, details: { seconds, until: iso(until) } });
      return { until };
    },

    async ban(identity, roomId, userId, reason) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      const why = reasonOf(reason);
      await ledger.setRestriction({ roomId: room.id, userId, kind: 'ban', until: null, reason: why, actorId: identity.user.id, createdAt: clock() });
      logger.info({ room: room.id, user: identity.user.id, target: userId }, 'user banned');
      events.announce('restrictionChanged', { userId, notice: { roomId: room.id, kind: 'ban', until: null, reason: why } });
      await record(identity, room.id, 'ban', { targetUserId: userId, reason: why });
    },

    async unban(identity, roomId, userId) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      if (!(await ledger.clearRestriction(room.id, userId, 'ban'))) return;
      logger.info({ room: room.id, user: identity.user.id, target: userId }, 'user unbanned');
      events.announce('restrictionChanged', { userId, notice: { roomId: room.id, kind: 'unban', until: null, reason: null } });
      await record(identity, room.id, 'unban', { targetUserId: userId });
    },

    async pin(identity, roomId, messageId) {
      assertStaff(identity);
      const room = await rooms.get(roomId);
      if (messageId !== null) {
        const stored = await ledger.getMessage(room.id, messageId);
        if (!stored || stored.deleted) throw refuse.notFound('No such message in this room');
      }
      const updated = (await ledger.updateRoom(room.id, { pinnedMessageId: messageId })) ?? room;
      const wire = await rooms.wire(updated);
      logger.info({ room: room.id, user: identity.user.id, message: messageId }, messageId ? 'message pinned' : 'message unpinned');
      events.announce('roomUpdated', { room: wire });
      if (messageId !== null) {
        await record(identity, room.id, 'pin', { targetUserId: wire.pinned?.user.id ?? null, messageId });
      } else if (room.pinnedMessageId !== null) {
        await record(identity, room.id, 'unpin', { messageId: room.pinnedMessageId });
      }
      return updated;
    },

    async log(identity, roomId, before, limit) {
      if (!identity || identity.guest) throw refuse.unauthorized('Sign in as a host or moderator to read the moderation log');
      const room = await rooms.getVisible(identity, roomId);
      assertStaff(identity);
      const entries = await ledger.moderationLog(room.id, before, limit);
      return entries.map((e) => ({
        id: String(e.id),
        at: iso(e.at),
        actor: e.actor,
        action: e.action,
        targetUserId: e.targetUserId,
        messageId: e.messageId,
        reason: e.reason,
        details: e.details,
      }));
    },
  };
}
