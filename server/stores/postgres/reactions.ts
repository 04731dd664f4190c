/**
 * Replies and reactions of the PostgreSQL ledger (issue 10; docs/protocol.md, "Rules"): the
 * schema of its migration 3 and the reaction toggle, with the same rules as the SQLite ledger.
 *
 * A message row keeps its reaction counts as JSON text (`reactions_json`, zero counts omitted)
 * next to `likes` (the ❤️ count). A toggle locks the message row (`FOR UPDATE`), so toggles on
 * one message run one at a time across every instance and the counts stay exact. The like is
 * the ❤️ reaction: `toggleLike` is the ❤️ toggle. A reply stores the quote the service made
 * (`reply_json`) with the answered id (`reply_to`); deleting a message blanks the quotes of it
 * (in `messages.ts`).
 */
import { LIKE_REACTION, REACTIONS, type Reaction, type ReactionCounts } from 'live-chat-protocol';
import type { Ledger } from '../ledger.ts';
import type { PgContext } from './context.ts';
import { transaction } from './pool.ts';

/**
 * PostgreSQL migration 3: reply columns, reactions, and the likes moved into reactions as ❤️
 * (`message_likes` dropped; `likes` and the ❤️ count recomputed from its rows).
 */
export const PG_REPLIES_AND_REACTIONS_SCHEMA = `
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN reply_json TEXT;
ALTER TABLE messages ADD COLUMN reactions_json TEXT;
CREATE INDEX messages_by_reply ON messages (room_id, reply_to) WHERE reply_to IS NOT NULL;
CREATE TABLE message_reactions (
  message_id TEXT NOT NULL REFERENCES messages(id),
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
);
INSERT INTO message_reactions (message_id, user_id, emoji)
  SELECT message_id, user_id, '${LIKE_REACTION}' FROM message_likes;
UPDATE messages SET likes = 0 WHERE likes <> 0;
UPDATE messages AS m SET likes = c.n, reactions_json = json_build_object('${LIKE_REACTION}', c.n)::text
  FROM (SELECT message_id, COUNT(*)::int AS n FROM message_likes GROUP BY message_id) AS c
  WHERE c.message_id = m.id;
DROP TABLE message_likes;
`;

/** Counts in `REACTIONS` order with zero counts dropped, as stored and sent. */
function tidy(counts: ReactionCounts): ReactionCounts {
  const out: ReactionCounts = {};
  for (const r of REACTIONS) if ((counts[r] ?? 0) > 0) out[r] = counts[r];
  return out;
}

/** The reaction methods over the ledger's pool. */
export function reactions(ctx: PgContext): Pick<Ledger, 'toggleReaction' | 'toggleLike' | 'replyIds'> {
  const { pool } = ctx;

  const toggle = (roomId: string, messageId: string, userId: string, emoji: Reaction) =>
    transaction(pool, async (client) => {
      // The message row is the lock: toggles on one message run one at a time.
      // By id alone, the room checked on the row: the primary key, whatever the statistics
      // (`messages.ts`).
      const found = await client.query<{ room_id: string; deleted: boolean; reactions_json: string | null }>(
        'SELECT room_id, deleted, reactions_json FROM messages WHERE id = $1 FOR UPDATE',
        [messageId],
      );
      const row = found.rows[0];
      if (!row || row.room_id !== roomId || row.deleted) return null;
      const removed = await client.query('DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3', [
        messageId,
        userId,
        emoji,
      ]);
      const added = removed.rowCount === 0;
      if (added) {
        await client.query('INSERT INTO message_reactions (message_id, user_id, emoji) VALUES ($1, $2, $3)', [messageId, userId, emoji]);
      }
      const counts = row.reactions_json ? (JSON.parse(row.reactions_json) as ReactionCounts) : {};
      counts[emoji] = (counts[emoji] ?? 0) + (added ? 1 : -1);
      const next = tidy(counts);
      await client.query('UPDATE messages SET reactions_json = $1, likes = $2 WHERE id = $3', [
        Object.keys(next).length > 0 ? JSON.stringify(next) : null,
        next[LIKE_REACTION] ?? 0,
        messageId,
      ]);
      const mine = await client.query<{ emoji: string }>('SELECT emoji FROM message_reactions WHERE message_id = $1 AND user_id = $2', [
        messageId,
        userId,
      ]);
      const given = new Set(mine.rows.map((r) => r.emoji));
      return { reactions: next, mine: REACTIONS.filter((r) => given.has(r)), added };
    });

  return {
    async toggleReaction(roomId, messageId, userId, emoji) {
      await ctx.ready;
      return toggle(roomId, messageId, userId, emoji);
    },
    async toggleLike(roomId, messageId, userId) {
      await ctx.ready;
      const result = await toggle(roomId, messageId, userId, LIKE_REACTION);
      return result && { likes: result.reactions[LIKE_REACTION] ?? 0, liked: result.added };
    },
    async replyIds(roomId, messageId) {
      await ctx.ready;
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM messages WHERE room_id = $1 AND reply_to = $2 AND NOT deleted ORDER BY seq', [
        roomId,
        messageId,
      ]);
      return rows.map((r) => r.id);
    },
  };
}
