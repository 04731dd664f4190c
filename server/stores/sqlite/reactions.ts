/**
 * Replies and reactions of the SQLite ledger (issue 10; docs/protocol.md, "Rules"): the
 * schema of migration 4 and the reaction toggle.
 *
 * A message row keeps its reaction counts as JSON (`reactions_json`, zero counts omitted)
 * next to `likes` (the ❤️ count), both changed in the transaction that adds or removes the
 * user's row in `message_reactions`; SQLite runs it to completion before anything else, so
 * counts stay exact under any concurrency. The like is the ❤️ reaction: `toggleLike` is the
 * ❤️ toggle. A reply stores the quote the service made (`reply_json`) with the answered id
 * (`reply_to`); deleting a message blanks the quotes of it (in `messages.ts`).
 */
import type Database from 'better-sqlite3';
import { LIKE_REACTION, REACTIONS, type Reaction, type ReactionCounts } from 'live-chat-protocol';
import type { Ledger } from '../ledger.ts';

/**
 * Migration 4: reply columns, reactions, and the likes moved into reactions as ❤️ (the
 * `message_likes` table is dropped; `likes` and the ❤️ count are recomputed from its rows).
 */
export const REPLIES_AND_REACTIONS_SCHEMA = `
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN reply_json TEXT;
ALTER TABLE messages ADD COLUMN reactions_json TEXT;
CREATE INDEX messages_by_reply ON messages(room_id, reply_to) WHERE reply_to IS NOT NULL;
CREATE TABLE message_reactions (
  message_id TEXT NOT NULL REFERENCES messages(id),
  user_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
) WITHOUT ROWID;
INSERT INTO message_reactions (message_id, user_id, emoji)
  SELECT message_id, user_id, '${LIKE_REACTION}' FROM message_likes;
UPDATE messages SET likes = 0 WHERE likes <> 0;
UPDATE messages SET likes = c.n, reactions_json = json_object('${LIKE_REACTION}', c.n)
  FROM (SELECT message_id, COUNT(*) AS n FROM message_likes GROUP BY message_id) AS c
  WHERE c.message_id = messages.id;
DROP TABLE message_likes;
`;

/** Parses a row's `reactions_json` (null: none). */
export function parseReactions(json: string | null): ReactionCounts {
  return json ? (JSON.parse(json) as ReactionCounts) : {};
}

/** Counts in `REACTIONS` order with zero counts dropped, as stored and sent. */
function tidy(counts: ReactionCounts): ReactionCounts {
  const out: ReactionCounts = {};
  for (const r of REACTIONS) if ((counts[r] ?? 0) > 0) out[r] = counts[r];
  return out;
}

type Reactions = Pick<Ledger, 'toggleReaction' | 'toggleLike'>;

/** Prepares the reaction queries over `db` (migrated to version 4 or later). */
export function reactions(db: Database.Database): Reactions {
  const q = {
    message: db.prepare<[string, string], { deleted: number; reactions_json: string | null }>(
      'SELECT deleted, reactions_json FROM messages WHERE room_id = ? AND id = ?',
    ),
    add: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO message_reactions (message_id, user_id, emoji) VALUES (?, ?, ?)'),
    remove: db.prepare<[string, string, string]>('DELETE FROM message_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?'),
    mine: db.prepare<[string, string], { emoji: string }>('SELECT emoji FROM message_reactions WHERE message_id = ? AND user_id = ?'),
    save: db.prepare<[string | null, number, string]>('UPDATE messages SET reactions_json = ?, likes = ? WHERE id = ?'),
  };

  const toggleTx = db.transaction((roomId: string, messageId: string, userId: string, emoji: Reaction) => {
    const row = q.message.get(roomId, messageId);
    if (!row || row.deleted === 1) return null;
    const added = q.remove.run(messageId, userId, emoji).changes === 0;
    if (added) q.add.run(messageId, userId, emoji);
    const counts = parseReactions(row.reactions_json);
    counts[emoji] = (counts[emoji] ?? 0) + (added ? 1 : -1);
    const next = tidy(counts);
    q.save.run(Object.keys(next).length > 0 ? JSON.stringify(next) : null, next[LIKE_REACTION] ?? 0, messageId);
    const given = new Set(q.mine.all(messageId, userId).map((r) => r.emoji));
    const mine = REACTIONS.filter((r) => given.has(r));
    return { reactions: next, mine, added };
  });

  return {
    async toggleReaction(roomId, messageId, userId, emoji) {
      return toggleTx.immediate(roomId, messageId, userId, emoji);
    },
    async toggleLike(roomId, messageId, userId) {
      const result = toggleTx.immediate(roomId, messageId, userId, LIKE_REACTION);
      return result && { likes: result.reactions[LIKE_REACTION] ?? 0, liked: result.added };
    },
  };
}
