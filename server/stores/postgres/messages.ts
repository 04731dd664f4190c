/**
 * Messages of the PostgreSQL ledger (likes and reactions: `reactions.ts`). `appendChatMessage` is ONE transaction:
 * 1. the room's next seq (`UPDATE rooms … RETURNING`, which locks the room row: appends to a
 *    room are decided one at a time across every instance, and a rollback burns no seq);
 * 2. the (room, user, clientId) look-up, under that lock: a duplicate rolls back and answers
 *    the first message (the unique index is the last guard);
 * 3. the session, through the handed-in session rule;
 * 4. the award, through the handed-in award rule, with the user's row locked;
 * 5. the session counters (`session_users`) and the message row; for a reply, the quote as
 *    handed in, its text blanked when the original is deleted by then (its row read `FOR
 *    SHARE`, so a concurrent deletion either came first or blanks this quote too).
 * Every query is an indexed look-up or a single-row write: none grows with history.
 */
import { v7 as timeOrderedUuid } from 'uuid';
import type { AppendChatMessageInput, AppendChatMessageResult, AwardSnapshot, Ledger, StoredMessage } from '../ledger.ts';
import type { PgContext } from './context.ts';
import { awardChatMessage } from './economy.ts';
import { transaction, type Client } from './pool.ts';
import { ensureIn, nextSeq } from './rooms-sessions.ts';
import { toMessage, type MessageRow } from './rows.ts';

type Messages = Pick<
  Ledger,
  'appendChatMessage' | 'appendChatMessages' | 'findMessageByClientId' | 'getMessage' | 'messagesBefore' | 'messagesAfter' | 'deleteMessage'
>;

const BY_CLIENT_ID = 'SELECT * FROM messages WHERE room_id = $1 AND user_id = $2 AND client_id = $3';

/**
 * Locks the rooms' rows in one order (by id), for the rest of the transaction: a batch over
 * several rooms and any other append never wait on each other in a cycle.
 * @throws for an unknown room (the whole batch rolls back).
 */
async function lockRooms(client: Client, roomIds: readonly string[]): Promise<void> {
  const ids = [...new Set(roomIds)];
  const { rows } = await client.query<{ id: string }>('SELECT id FROM rooms WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE', [ids]);
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id));
    throw new Error(`room ${ids.find((id) => !found.has(id))} does not exist`);
  }
}

/** Locks (creating at zero) the users' rows in one order (by id), after the rooms: see {@link lockRooms}. */
async function lockUsers(client: Client, userIds: readonly string[]): Promise<void> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return;
  await client.query(
    'INSERT INTO users (id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (id) DO UPDATE SET id = excluded.id',
    [ids],
  );
}

/** The message methods over the ledger's pool. */
export function messages(ctx: PgContext): Messages {
  const { pool } = ctx;
  const one = async (sql: string, params: unknown[]): Promise<StoredMessage | null> => {
    const { rows } = await pool.query<MessageRow>(sql, params);
    return rows[0] ? toMessage(rows[0]) : null;
  };
  const many = async (sql: string, params: unknown[]): Promise<StoredMessage[]> => (await pool.query<MessageRow>(sql, params)).rows.map(toMessage);

  /**
   * One append inside the caller's transaction, its room already locked: a duplicate is
   * answered before anything is written (no seq taken), then seq, session, award, counters and
   * the message row.
   */
  async function appendIn(client: Client, input: AppendChatMessageInput): Promise<AppendChatMessageResult> {
    const existing = await client.query<MessageRow>(BY_CLIENT_ID, [input.roomId, input.user.id, input.clientId]);
    if (existing.rows[0]) return { message: toMessage(existing.rows[0]), duplicate: true, sessionStarted: null };
    const seq = await nextSeq(client, input.roomId);
    if (seq === null) throw new Error(`room ${input.roomId} does not exist`);

    const { session, started } = await ensureIn(client, input.roomId, input.now, input.needsNewSession);
    const id = timeOrderedUuid();
    const userId = input.user.id;
    const userJson = JSON.stringify(input.user);
    const earned = input.decide
      ? await awardChatMessage(client, {
          roomId: input.roomId,
          userId,
          sessionId: session.id,
          messageId: id,
          now: input.now,
          day: input.day,
          decide: input.decide,
        })
      : null;
    const counts = await client.query<{ messages: number; coins: number }>(
      `INSERT INTO session_users (session_id, user_id, user_json, guest, messages, coins, last_seq)
       VALUES ($1, $2, $3, $4, 1, $5, $6)
       ON CONFLICT (session_id, user_id) DO UPDATE SET messages = session_users.messages + 1,
         coins = session_users.coins + excluded.coins, last_seq = excluded.last_seq,
         user_json = excluded.user_json, guest = excluded.guest
       RETURNING messages, coins`,
      [session.id, userId, userJson, input.guest, earned?.coins ?? 0, seq],
    );
    const award: AwardSnapshot | null = earned
      ? { ...earned, sessionCoins: counts.rows[0]!.coins, sessionMessages: counts.rows[0]!.messages }
      : null;
    let replyTo = input.replyTo ?? null;
    if (replyTo) {
      const original = await client.query<{ deleted: boolean }>(
        'SELECT deleted FROM messages WHERE room_id = $1 AND id = $2 FOR SHARE',
        [input.roomId, replyTo.id],
      );
      if (!original.rows[0] || original.rows[0].deleted) replyTo = { ...replyTo, text: '' };
    }
    const { rows } = await client.query<MessageRow>(
      `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
         created_at, reward_xp, reward_coins, award_json, reply_to, reply_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
      [
        id,
        input.roomId,
        seq,
        session.id,
        input.clientId,
        userId,
        userJson,
        input.guest,
        input.text,
        input.now,
        award?.xp ?? 0,
        award?.coins ?? 0,
        award ? JSON.stringify(award) : null,
        replyTo?.id ?? null,
        replyTo ? JSON.stringify(replyTo) : null,
      ],
    );
    return { message: toMessage(rows[0]!), duplicate: false, sessionStarted: started ? session : null };
  }

  return {
    async appendChatMessage(input) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        await lockRooms(client, [input.roomId]);
        return appendIn(client, input);
      });
    },
    async appendChatMessages(inputs) {
      if (inputs.length === 0) return [];
      await ctx.ready;
      return transaction(pool, async (client) => {
        await lockRooms(client, inputs.map((i) => i.roomId));
        await lockUsers(client, inputs.filter((i) => i.decide).map((i) => i.user.id));
        const results: AppendChatMessageResult[] = [];
        for (const input of inputs) results.push(await appendIn(client, input));
        return results;
      });
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
