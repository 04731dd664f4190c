/**
 * Moderation of the SQLite ledger (migration 3): restrictions (a timeout and a ban per room
 * and user, replaced when set again) and the append-only moderation log. The ledger decides
 * nothing: whether a timeout still runs is the caller's comparison of `until` with its clock.
 */
import type Database from 'better-sqlite3';
import type { Ledger } from '../ledger.ts';
import { toLogEntry, toRestriction, type LogRow, type RestrictionRow } from '../rows.ts';

type Moderation = Pick<Ledger, 'setRestriction' | 'clearRestriction' | 'restrictionsOf' | 'appendModeration' | 'moderationLog'>;

/** Prepares the restriction and moderation-log queries over `db` (migrated to version 3 or later). */
export function moderation(db: Database.Database): Moderation {
  const q = {
    setRestriction: db.prepare(
      `INSERT INTO restrictions (room_id, user_id, kind, until, reason, actor_id, created_at)
       VALUES (@roomId, @userId, @kind, @until, @reason, @actorId, @createdAt)
       ON CONFLICT (room_id, user_id, kind) DO UPDATE SET
         until = excluded.until, reason = excluded.reason, actor_id = excluded.actor_id, created_at = excluded.created_at`,
    ),
    clearRestriction: db.prepare('DELETE FROM restrictions WHERE room_id = ? AND user_id = ? AND kind = ?'),
    restrictionsOf: db.prepare<[string, string], RestrictionRow>('SELECT * FROM restrictions WHERE room_id = ? AND user_id = ? ORDER BY kind'),
    appendLog: db.prepare<[Record<string, unknown>], LogRow>(
      `INSERT INTO moderation_log (room_id, at, actor_id, actor_json, action, target_user_id, message_id, reason, details)
       VALUES (@roomId, @at, @actorId, @actorJson, @action, @targetUserId, @messageId, @reason, @details) RETURNING *`,
    ),
    log: db.prepare<[string, number, number], LogRow>('SELECT * FROM moderation_log WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
  };
  return {
    async setRestriction(r) {
      q.setRestriction.run(r);
    },
    async clearRestriction(roomId, userId, kind) {
      return q.clearRestriction.run(roomId, userId, kind).changes > 0;
    },
    async restrictionsOf(roomId, userId) {
      return q.restrictionsOf.all(roomId, userId).map(toRestriction);
    },
    async appendModeration(entry) {
      const row = q.appendLog.get({
        roomId: entry.roomId,
        at: entry.at,
        actorId: entry.actor.id,
        actorJson: JSON.stringify(entry.actor),
        action: entry.action,
        targetUserId: entry.targetUserId,
        messageId: entry.messageId,
        reason: entry.reason,
        details: entry.details === null ? null : JSON.stringify(entry.details),
      })!;
      return toLogEntry(row);
    },
    async moderationLog(roomId, beforeId, limit) {
      return q.log.all(roomId, beforeId ?? Number.MAX_SAFE_INTEGER, limit).map(toLogEntry);
    },
  };
}
