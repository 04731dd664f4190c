/**
 * Messages of the PostgreSQL ledger (likes and reactions: `reactions.ts`). An append, of one
 * message or of a group-commit batch, is ONE transaction run by `append.ts`: rooms locked,
 * users locked, every message decided in order by the handed-in session and award rules, then
 * written set-wise. Every query is an indexed look-up or a write by key: none grows with
 * history.
 */
import type { Ledger, StoredMessage } from '../ledger.ts';
import { appendBatch } from './append.ts';
import type { PgContext } from './context.ts';
import { transaction } from './pool.ts';
import { toMessage, type MessageRow } from './rows.ts';

type Messages = Pick<
  Ledger,
  'appendChatMessage' | 'appendChatMessages' | 'findMessageByClientId' | 'getMessage' | 'messagesBefore' | 'messagesAfter' | 'deleteMessage'
>;

/*
 * A message is looked up by the leading columns of one index only: by id (the primary key),
 * or by user and clientId (their unique key, migration 6), its room checked on the row. With
 * the room among the conditions, PostgreSQL may take the `(room_id, seq)` index when its
 * statistics are stale (many small rooms analysed, then one grew) and read the room's whole
 * history (`postgres-ledger.test.ts`).
 */
const BY_CLIENT_ID = 'SELECT * FROM messages WHERE user_id = $1 AND client_id = $2';
const BY_ID = 'SELECT * FROM messages WHERE id = $1';

/** The message methods over the ledger's pool. */
export function messages(ctx: PgContext): Messages {
  const { pool } = ctx;
  /** The message of room `roomId` among what `sql` answers for `params`, else null. */
  const inRoom = async (roomId: string, sql: string, params: unknown[]): Promise<StoredMessage | null> => {
    const row = (await pool.query<MessageRow>(sql, params)).rows.find((r) => r.room_id === roomId);
    return row ? toMessage(row) : null;
  };
  const many = async (sql: string, params: unknown[]): Promise<StoredMessage[]> => (await pool.query<MessageRow>(sql, params)).rows.map(toMessage);

  return {
    async appendChatMessage(input) {
      await ctx.ready;
      return (await transaction(pool, (client, defer) => appendBatch(client, [input], defer)))[0]!;
    },
    async appendChatMessages(inputs) {
      if (inputs.length === 0) return [];
      await ctx.ready;
      return transaction(pool, (client, defer) => appendBatch(client, inputs, defer));
    },
    async findMessageByClientId(roomId, userId, clientId) {
      await ctx.ready;
      return inRoom(roomId, BY_CLIENT_ID, [userId, clientId]);
    },
    async getMessage(roomId, messageId) {
      await ctx.ready;
      return inRoom(roomId, BY_ID, [messageId]);
    },
    async messagesBefore(roomId, beforeSeq, limit) {
      await ctx.ready;
      return many(
        'SELECT * FROM (SELECT * FROM messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) AS page ORDER BY seq',
        [roomId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      );
    },
    async messagesAfter(roomId, sinceSeq, limit) {
      await ctx.ready;
      return many('SELECT * FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [roomId, sinceSeq, limit]);
    },
    async deleteMessage(roomId, messageId) {
      await ctx.ready;
      return transaction<StoredMessage | null>(pool, async (client) => {
        const found = await client.query<{ room_id: string }>('SELECT room_id FROM messages WHERE id = $1 FOR UPDATE', [messageId]);
        if (found.rows[0]?.room_id !== roomId) return null;
        const { rows } = await client.query<MessageRow>("UPDATE messages SET deleted = TRUE, text = '' WHERE id = $1 RETURNING *", [messageId]);
        await client.query(
          `UPDATE messages SET reply_json = jsonb_set(reply_json::jsonb, '{text}', '""')::text WHERE room_id = $1 AND reply_to = $2`,
          [roomId, messageId],
        );
        return toMessage(rows[0]!); // the row locked above
      });
    },
  };
}
