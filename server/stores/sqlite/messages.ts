/**
 * Messages and likes of the SQLite ledger. `appendChatMessage` is ONE transaction: the
 * (room, user, clientId) check, the room's next seq, the session (through the handed-in
 * session rule), the award (through the handed-in award rule) and the message row. SQLite
 * runs it to completion before anything else, which makes seq, the daily cap and the coin
 * cooldown exact under any concurrency.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AppendChatMessageInput, AppendChatMessageResult, AwardSnapshot, Ledger } from '../ledger.ts';
import type { EconomySteps } from './economy.ts';
import type { RoomSessionSteps } from './rooms-sessions.ts';
import { toMessage, type MessageRow } from './rows.ts';

type Messages = Pick<
  Ledger,
  'appendChatMessage' | 'findMessageByClientId' | 'getMessage' | 'messagesBefore' | 'messagesAfter' | 'toggleLike' | 'deleteMessage'
>;

/** Prepares the message and like queries over `db`, appending through the other aggregates' steps. */
export function messages(db: Database.Database, rooms: RoomSessionSteps, economy: EconomySteps): Messages {
  const q = {
    byClientId: db.prepare<[string, string, string], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND user_id = ? AND client_id = ?',
    ),
    getMessage: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND id = ?'),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
         created_at, reward_xp, reward_coins, award_json)
       VALUES (@id, @roomId, @seq, @sessionId, @clientId, @userId, @userJson, @guest, @text,
         @createdAt, @xp, @coins, @awardJson)`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM (SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    after: db.prepare<[string, number, number], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    likeExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM message_likes WHERE message_id = ? AND user_id = ?'),
    addLike: db.prepare('INSERT INTO message_likes (message_id, user_id) VALUES (?, ?)'),
    removeLike: db.prepare('DELETE FROM message_likes WHERE message_id = ? AND user_id = ?'),
    addLikes: db.prepare<[number, string], { likes: number }>('UPDATE messages SET likes = likes + ? WHERE id = ? RETURNING likes'),
    deleteMessage: db.prepare("UPDATE messages SET deleted = 1, text = '' WHERE room_id = ? AND id = ?"),
  };

  const appendTx = db.transaction((input: AppendChatMessageInput): AppendChatMessageResult => {
    const existing = q.byClientId.get(input.roomId, input.user.id, input.clientId);
    if (existing) return { message: toMessage(existing), duplicate: true, sessionStarted: null };

    const seq = rooms.nextSeq(input.roomId);
    if (seq === null) throw new Error(`room ${input.roomId} does not exist`);
    const { session, started } = rooms.ensureSession(input.roomId, input.now, input.needsNewSession);
    const id = randomUUID();
    const userId = input.user.id;
    const award: AwardSnapshot | null = input.decide
      ? economy.awardChatMessage({
          roomId: input.roomId,
          userId,
          sessionId: session.id,
          messageId: id,
          now: input.now,
          day: input.day,
          decide: input.decide,
        })
      : null;
    q.insertMessage.run({
      id,
      roomId: input.roomId,
      seq,
      sessionId: session.id,
      clientId: input.clientId,
      userId,
      userJson: JSON.stringify(input.user),
      guest: input.guest ? 1 : 0,
      text: input.text,
      createdAt: input.now,
      xp: award?.xp ?? 0,
      coins: award?.coins ?? 0,
      awardJson: award ? JSON.stringify(award) : null,
    });
    return { message: toMessage(q.getMessage.get(input.roomId, id)!), duplicate: false, sessionStarted: started ? session : null };
  });

  const toggleTx = db.transaction((roomId: string, messageId: string, userId: string) => {
    const message = q.getMessage.get(roomId, messageId);
    if (!message || message.deleted === 1) return null;
    const liked = !q.likeExists.get(messageId, userId);
    if (liked) q.addLike.run(messageId, userId);
    else q.removeLike.run(messageId, userId);
    const { likes } = q.addLikes.get(liked ? 1 : -1, messageId)!;
    return { likes, liked };
  });

  return {
    async appendChatMessage(input) {
      return appendTx.immediate(input);
    },
    async findMessageByClientId(roomId, userId, clientId) {
      const row = q.byClientId.get(roomId, userId, clientId);
      return row ? toMessage(row) : null;
    },
    async getMessage(roomId, messageId) {
      const row = q.getMessage.get(roomId, messageId);
      return row ? toMessage(row) : null;
    },
    async messagesBefore(roomId, beforeSeq, limit) {
      return q.before.all(roomId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit).map(toMessage);
    },
    async messagesAfter(roomId, sinceSeq, limit) {
      return q.after.all(roomId, sinceSeq, limit).map(toMessage);
    },
    async toggleLike(roomId, messageId, userId) {
      return toggleTx.immediate(roomId, messageId, userId);
    },
    async deleteMessage(roomId, messageId) {
      if (q.deleteMessage.run(roomId, messageId).changes === 0) return null;
      return toMessage(q.getMessage.get(roomId, messageId)!);
    },
  };
}
