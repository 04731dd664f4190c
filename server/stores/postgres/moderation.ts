/**
 * Moderation of the PostgreSQL ledger (its migration 2): restrictions (a timeout and a ban
 * per room and user, replaced when set again) and the append-only moderation log, whose
 * `BIGSERIAL` id is the page cursor. The ledger decides nothing: whether a timeout still runs
 * is the caller's comparison of `until` with its clock.
 */
import type { Ledger } from '../ledger.ts';
import { toLogEntry, toRestriction, type LogRow, type RestrictionRow } from '../rows.ts';
import type { PgContext } from './context.ts';

type Moderation = Pick<Ledger, 'setRestriction' | 'clearRestriction' | 'restrictionsOf' | 'appendModeration' | 'moderationLog'>;

/** The restriction and moderation-log methods over the ledger's pool. */
export function moderation(ctx: PgContext): Moderation {
  const { pool } = ctx;
  return {
    async setRestriction(r) {
      await ctx.ready;
      await pool.query(
        `INSERT INTO restrictions (room_id, user_id, kind, until, reason, actor_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (room_id, user_id, kind) DO UPDATE SET
           until = EXCLUDED.until, reason = EXCLUDED.reason, actor_id = EXCLUDED.actor_id, created_at = EXCLUDED.created_at`,
        [r.roomId, r.userId, r.kind, r.until, r.reason, r.actorId, r.createdAt],
      );
    },
    async clearRestriction(roomId, userId, kind) {
      await ctx.ready;
      const { rowCount } = await pool.query('DELETE FROM restrictions WHERE room_id = $1 AND user_id = $2 AND kind = $3', [roomId, userId, kind]);
      return (rowCount ?? 0) > 0;
    },
    async restrictionsOf(roomId, userId) {
      await ctx.ready;
      const { rows } = await pool.query<RestrictionRow>('SELECT * FROM restrictions WHERE room_id = $1 AND user_id = $2 ORDER BY kind', [
        roomId,
        userId,
      ]);
      return rows.map(toRestriction);
    },
    async appendModeration(e) {
      await ctx.ready;
      const { rows } = await pool.query<LogRow>(
        `INSERT INTO moderation_log (room_id, at, actor_id, actor_json, action, target_user_id, message_id, reason, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          e.roomId,
          e.at,
          e.actor.id,
          JSON.stringify(e.actor),
          e.action,
          e.targetUserId,
          e.messageId,
          e.reason,
          e.details === null ? null : JSON.stringify(e.details),
        ],
      );
      return toLogEntry(rows[0]!);
    },
    async moderationLog(roomId, beforeId, limit) {
      await ctx.ready;
      const { rows } = await pool.query<LogRow>('SELECT * FROM moderation_log WHERE room_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [
        roomId,
        beforeId ?? Number.MAX_SAFE_INTEGER,
        limit,
      ]);
      return rows.map(toLogEntry);
    },
  };
}
