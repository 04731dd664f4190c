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

const BY_CLIENT_ID = 'SELECT * FROM messages WHERE room_id = $1 AND user_id = $2 AND client_id = $3';

/** The message methods over the ledger's pool. */
export function messages(ctx: PgContext): Messages {
  const { pool } = ctx;
  const one = async (sql: string, params: unknown[]): Promise<StoredMessage | null> => {
    const { rows } = await pool.query<MessageRow>(sql, params);
    return rows[0] ? toMessage(rows[0]) : null;
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
      return one(BY_CLIENT_ID, [roomId, userId, clientId]);
    },
    async getMessage(roomId, messageId) {
      await ctx.ready;
      return one('SELECT * FROM messages WHERE room_id = $1 AND id = $2', [roomId, messageId]);
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
        const { rows } = await client.query<MessageRow>("UPDATE messages SET deleted = TRUE, text = '' WHERE room_id = $1 AND id = $2 RETURNING *", [
          roomId,
          messageId,
        ]);
        if (!rows[0]) return null;
        await client.query(
          `UPDATE messages SET reply_json = jsonb_set(reply_json::jsonb, '{text}', '""')::text WHERE room_id = $1 AND reply_to = $2`,
          [roomId, messageId],
        );
        return toMessage(rows[0]);
      });
    },
  };
}
