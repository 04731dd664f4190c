/**
 * Messages of the SQLite ledger (likes and reactions: `reactions.ts`). An append is ONE
 * transaction: the room's next seq, the session (through the handed-in session rule), the
 * award (through the handed-in award rule), the message row, the (room, user, clientId)
 * check and the award's writes. SQLite runs it to completion before anything else, which
 * makes seq, the daily cap and the coin cooldown exact under any concurrency.
 * `appendChatMessages` (group commit) runs a batch of appends in one such transaction, in
 * order; `appendChatMessage` is a batch of one.
 *
 * What an append reads is constant in the room's and the user's history: rows by key (the
 * room's seq and newest session once per room and batch, the award's counters), and the
 * (room, user, clientId) check is the message insert's own unique index (`ON CONFLICT DO
 * NOTHING`); the stored row is looked up only for a duplicate, or before an append starts a
 * session (so a retry never starts one).
 */
import { v7 as timeOrderedUuid } from 'uuid';
import type Database from 'better-sqlite3';
import type { ReplyQuote } from 'live-chat-protocol';
import type { AppendChatMessageInput, AppendChatMessageResult, Ledger, SessionRecord } from '../ledger.ts';
import type { EconomySteps } from './economy.ts';
import type { RoomSessionSteps } from './rooms-sessions.ts';
import { appendedMessage, newMessageRow, toMessage, type MessageRow } from '../rows.ts';

type Messages = Pick<
  Ledger,
  'appendChatMessage' | 'appendChatMessages' | 'findMessageByClientId' | 'getMessage' | 'messagesBefore' | 'messagesAfter' | 'deleteMessage' | 'replyIds'
>;

/** Prepares the message queries over `db`, appending through the other aggregates' steps. */
export function messages(db: Database.Database, rooms: RoomSessionSteps, economy: EconomySteps): Messages {
  const q = {
    byClientId: db.prepare<[string, string, string], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND user_id = ? AND client_id = ?',
    ),
    getMessage: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND id = ?'),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
         created_at, reward_xp, reward_coins, award_json, reply_to, reply_json)
       VALUES (@id, @room_id, @seq, @session_id, @client_id, @user_id, @user_json, @guest, @text,
         @created_at, @reward_xp, @reward_coins, @award_json, @reply_to, @reply_json)
       ON CONFLICT (room_id, user_id, client_id) DO NOTHING`,
    ),
    before: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM (SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    after: db.prepare<[string, number, number], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    deleteMessage: db.prepare("UPDATE messages SET deleted = 1, text = '' WHERE room_id = ? AND id = ?"),
    blankQuotes: db.prepare("UPDATE messages SET reply_json = json_set(reply_json, '$.text', '') WHERE room_id = ? AND reply_to = ?"),
    replyIds: db.prepare<[string, string], { id: string }>('SELECT id FROM messages WHERE room_id = ? AND reply_to = ? AND deleted = 0 ORDER BY seq'),
  };

  /** What one batch has read and changed per room: the newest seq, and the current session. */
  interface Batch {
    seqs: Map<string, number>;
    changed: Set<string>;
    /** The room's newest session as the batch left it; null: none yet. */
    sessions: Map<string, SessionRecord | null>;
  }

  /** The stored message of (room, user, clientId) as a duplicate's answer; null when none. */
  const duplicateOf = (input: AppendChatMessageInput): AppendChatMessageResult | null => {
    const row = q.byClientId.get(input.roomId, input.user.id, input.clientId);
    return row ? { message: toMessage(row), duplicate: true, sessionStarted: null } : null;
  };

  /** One append inside the batch's transaction (see the module comment). */
  function appendOne(input: AppendChatMessageInput, batch: Batch): AppendChatMessageResult {
    const { roomId, now } = input;
    let last = batch.seqs.get(roomId);
    if (last === undefined) {
      const stored = rooms.lastSeq(roomId);
      if (stored === null) throw new Error(`room ${roomId} does not exist`);
      last = stored;
    }
    // The room's newest session: read once per batch, then kept as the batch changes it.
    if (!batch.sessions.has(roomId)) batch.sessions.set(roomId, rooms.latestSession(roomId));
    let session = batch.sessions.get(roomId)!;
    let started = false;
    if (session === null || input.needsNewSession(session)) {
      // This append starts a session: answer a retry of a stored message first, so a retry never starts one.
      const duplicate = duplicateOf(input);
      if (duplicate) return duplicate;
      session = rooms.startSession(roomId, now, last + 1);
      started = true;
      batch.sessions.set(roomId, session);
    }

    const id = timeOrderedUuid();
    const seq = last + 1;
    const userJson = JSON.stringify(input.user);
    const award = input.decide
      ? economy.decideChatAward({ userId: input.user.id, sessionId: session.id, now, day: input.day, decide: input.decide })
      : null;
    const replyTo = input.replyTo ? quoteAsStored(roomId, input.replyTo) : null;
    const stored = { id, seq, sessionId: session.id, userJson, award, replyTo };
    const inserted = q.insertMessage.run(newMessageRow(input, stored, input.guest ? 1 : 0));
    // Taken (room, user, clientId): stored before, or earlier in this batch. Nothing was written.
    if (inserted.changes === 0) return duplicateOf(input)!;

    batch.seqs.set(roomId, seq);
    batch.changed.add(roomId);
    if (award) economy.recordChatAward({ roomId, user: input.user, messageId: id, seq, now, day: input.day, award });
    const message = appendedMessage(input, stored);
    return { message, duplicate: false, sessionStarted: started ? session : null };
  }

  /** Appends in order; each room's seq counter is written once, after the last of its messages. */
  const appendTx = db.transaction((inputs: readonly AppendChatMessageInput[]): AppendChatMessageResult[] => {
    const batch: Batch = { seqs: new Map(), changed: new Set(), sessions: new Map() };
    const results = inputs.map((input) => appendOne(input, batch));
    for (const roomId of batch.changed) rooms.setLastSeq(roomId, batch.seqs.get(roomId)!);
    return results;
  });

  /** The quote as handed in, its text blanked when the original was deleted since the service read it. */
  const quoteAsStored = (roomId: string, quote: ReplyQuote): ReplyQuote => {
    const original = q.getMessage.get(roomId, quote.id);
    return !original || original.deleted === 1 ? { ...quote, text: '' } : quote;
  };

  const deleteTx = db.transaction((roomId: string, messageId: string) => {
    if (q.deleteMessage.run(roomId, messageId).changes === 0) return null;
    q.blankQuotes.run(roomId, messageId);
    return toMessage(q.getMessage.get(roomId, messageId)!);
  });

  return {
    async appendChatMessage(input) {
      return appendTx.immediate([input])[0]!;
    },
    async appendChatMessages(inputs) {
      return inputs.length === 0 ? [] : appendTx.immediate(inputs);
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
    async deleteMessage(roomId, messageId) {
      return deleteTx.immediate(roomId, messageId);
    },
    async replyIds(roomId, messageId) {
      return q.replyIds.all(roomId, messageId).map((r) => r.id);
    },
  };
}
