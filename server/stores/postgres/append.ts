/**
 * The chat append of the PostgreSQL ledger, a batch at a time (group commit, issue 8): the
 * same rules as one append after another (seq per room, session rule, award rule, duplicates,
 * counters), in two round trips per batch on the pool's pipelined connections (`pool.ts`):
 * the statements that need no answer of another are sent together, and PostgreSQL runs them
 * in the order sent.
 *
 * Inside the caller's transaction (READ COMMITTED):
 * 1. (sent with BEGIN, one round trip) lock the batch's rooms (`FOR UPDATE`, in id order) and
 *    read their seq and newest session: every append to these rooms, on any instance, waits
 *    for this transaction; lock the earning users' rows (an upsert, in id order, after the
 *    rooms: no cycle with any other append) and read their totals, their chat XP of the day,
 *    the stored messages with the batch's (user, clientId) pairs (those of the message's room
 *    count) and the session
 *    counters of (room's newest session, user). Each statement starts after the one before it
 *    has its locks, so it sees what their previous holder committed;
 * 2. decide every message in arrival order in memory, exactly as the rules would one by one:
 *    a stored or earlier-in-batch `clientId` answers that message (nothing written, no seq),
 *    a session starts when the rule says so (a query, rare), the award rule sees what the
 *    earlier messages of the batch left (cap and cooldown exact), a reply's original is read
 *    `FOR SHARE` (its quote blanked when it was deleted);
 * 3. (sent with COMMIT, one round trip) write it all set-wise in ONE statement: a multi-row
 *    part per table (messages, XP and coin events, user days, users, session counters, rooms'
 *    seq), as data-modifying `WITH` parts of one `UPDATE rooms`. When it fails, PostgreSQL
 *    answers the COMMIT with a rollback and nothing of the batch is stored.
 * Every statement is named ({@link statement}), so each pooled connection has PostgreSQL
 * parse and plan it once ({@link PLAN_SETTINGS}).
 * Events are append-only; the running counters are written with the values the batch
 * computed on rows it holds locked, so totals stay equal to the sums of their events.
 */
import { v7 as timeOrderedUuid } from 'uuid';
import type { AppendChatMessageInput, AppendChatMessageResult, AwardSnapshot, SessionRecord, StoredMessage } from '../ledger.ts';
import { CHAT_KIND } from './economy.ts';
import { inOrder, type Client, type Defer } from './pool.ts';
import { startIn } from './rooms-sessions.ts';
import { appendedMessage, newMessageRow, SESSION_COLUMNS, toMessage, toSession, type MessageRow, type SessionRow } from './rows.ts';

/** Map key of several parts (ids never hold a NUL). */
const key = (...parts: string[]) => parts.join('\u0000');

/**
 * A named statement of the append: node-postgres prepares it once per connection, so
 * PostgreSQL parses and analyses its text once, not at every batch.
 */
const statement =
  (name: string, text: string) =>
  (values: unknown[]): { name: string; text: string; values: unknown[] } => ({ name: `append-${name}`, text, values });

/**
 * Plans every statement of the append once per connection (`force_generic_plan`), as key
 * look-ups through the indexes whatever the tables' statistics (no sequential scan, hash or
 * merge join: this transaction only). Every statement looks up at most a batch's keys, so
 * that plan is right at any size; but a plan made from statistics would be made while the
 * tables were small and not yet analysed (a new database at the start of an event), would
 * scan whole tables, and would be kept as they grew until autovacuum's next ANALYZE
 * (`postgres-ledger.test.ts` counts the rows read). Planning each batch for its parameters
 * instead cost more than running it: measured in process (one room, batches of 8), the
 * backend's CPU went from 271 to 98 µs a message and the batch from 2.95 to 1.37 ms.
 */
const PLAN_SETTINGS =
  "SET LOCAL plan_cache_mode = 'force_generic_plan'; SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";
const LOCK_ROOMS = statement('lock-rooms', 'SELECT id, last_seq FROM rooms WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE');
const LATEST_SESSIONS = statement(
  'latest-sessions',
  `SELECT DISTINCT ON (room_id) ${SESSION_COLUMNS} FROM sessions WHERE room_id = ANY($1::text[]) ORDER BY room_id, ordinal DESC`,
);
const LOCK_USERS = statement(
  'lock-users',
  `INSERT INTO users (id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (id) DO UPDATE SET id = excluded.id
   RETURNING id, total_xp, coin_balance, last_coin_at`,
);
const USER_DAYS = statement(
  'user-days',
  'SELECT user_id, day, chat_xp FROM user_days WHERE (user_id, day) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
);
/**
 * The stored messages with the batch's (user, clientId) pairs, in any room (the caller keeps
 * those of the message's room): it names only the leading columns of their unique index
 * (migration 6), so no other index can serve it, whatever the statistics its cached plan was
 * made with. With the room among its conditions, a plan could read the room's whole history
 * through `(room_id, seq)` (`postgres-ledger.test.ts`).
 */
const STORED = statement(
  'stored',
  'SELECT * FROM messages WHERE (user_id, client_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
);
/**
 * The session counters of (room's newest session, user): keyed by room, so that it needs no
 * answer of an earlier statement and goes out with them (it runs after them, rooms locked).
 */
const SESSION_COUNTERS = statement(
  'session-counters',
  `SELECT s.id AS session_id, su.user_id, su.messages, su.coins
   FROM (SELECT DISTINCT room_id, user_id FROM unnest($1::text[], $2::text[]) AS k(room_id, user_id)) AS k
   CROSS JOIN LATERAL (SELECT id FROM sessions WHERE room_id = k.room_id ORDER BY ordinal DESC LIMIT 1) AS s
   JOIN session_users su ON su.session_id = s.id AND su.user_id = k.user_id`,
);
/** A reply's original, by its id alone (the primary key: no plan can take the room's index). */
const REPLY_ORIGINAL = statement('reply-original', 'SELECT room_id, deleted FROM messages WHERE id = $1 FOR SHARE');
/**
 * Every write of a batch (step 3): each table is written by one part, no part reads what
 * another writes, and a part whose rows are empty writes nothing. Each parameter is one
 * table's rows as a JSON array of objects keyed by column, read as the table's own row type
 * (`json_populate_recordset(NULL::table, …)`: no column list to keep in step with the
 * migrations; its columns not in the JSON are NULL and not written), in order:
 * messages, XP events, user days, coin events, users, session counters, rooms' seq. One
 * `JSON.stringify` a table costs node less than node-postgres's array literals (one a
 * column, 44 in all, each string escaped on its own), and PostgreSQL less than `unnest` of
 * them: measured in process, both versions taking turns on one connection, a batch took a
 * quarter less time with one room (batches of 8) and a fifth less with 100 rooms (batches
 * of 50), the backend's CPU 15–38% less (with a column list, `json_to_recordset`; the row
 * type measured the same, within 6% either way).
 * JSON carries any text the ledger stores: message texts hold no control characters or
 * unpaired surrogates (the text rule), user ids none either (`identity.ts`), and profiles
 * and quotes travel as JSON strings already.
 */
const WRITE = statement(
  'write',
  `WITH
   new_messages AS (
     INSERT INTO messages (id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
       created_at, reward_xp, reward_coins, award_json, reply_to, reply_json)
     SELECT id, room_id, seq, session_id, client_id, user_id, user_json, guest, text,
       created_at, reward_xp, reward_coins, award_json, reply_to, reply_json
     FROM json_populate_recordset(NULL::messages, $1::json)),
   new_xp_events AS (
     INSERT INTO xp_events (id, user_id, kind, source, delta, room_id, session_id, day, created_at)
     SELECT id, user_id, '${CHAT_KIND}', 'chat', delta, room_id, session_id, day, created_at
     FROM json_populate_recordset(NULL::xp_events, $2::json)),
   day_counters AS (
     INSERT INTO user_days (user_id, day, chat_xp) SELECT user_id, day, chat_xp FROM json_populate_recordset(NULL::user_days, $3::json)
     ON CONFLICT (user_id, day) DO UPDATE SET chat_xp = excluded.chat_xp),
   new_coin_events AS (
     INSERT INTO coin_events (id, user_id, kind, source, delta, room_id, session_id, created_at)
     SELECT id, user_id, '${CHAT_KIND}', 'chat', delta, room_id, session_id, created_at
     FROM json_populate_recordset(NULL::coin_events, $4::json)),
   user_totals AS (
     UPDATE users u SET total_xp = v.total_xp, coin_balance = v.coin_balance, last_coin_at = v.last_coin_at
     FROM json_populate_recordset(NULL::users, $5::json) AS v WHERE u.id = v.id),
   session_counters AS (
     INSERT INTO session_users (session_id, user_id, user_json, guest, messages, coins, last_seq)
     SELECT session_id, user_id, user_json, guest, messages, coins, last_seq FROM json_populate_recordset(NULL::session_users, $6::json)
     ON CONFLICT (session_id, user_id) DO UPDATE SET messages = excluded.messages, coins = excluded.coins,
       last_seq = excluded.last_seq, user_json = excluded.user_json, guest = excluded.guest)
   UPDATE rooms r SET last_seq = v.last_seq FROM json_populate_recordset(NULL::rooms, $7::json) AS v WHERE r.id = v.id`,
);

interface UserState {
  total_xp: number;
  coin_balance: number;
  last_coin_at: number | null;
}

const NO_ROWS = Promise.resolve({ rows: [] as never[] });

/**
 * Appends `inputs` in order inside the caller's transaction (see the module comment).
 * @returns one result per input, in order.
 * @throws for an unknown room, a rule that throws, or a database error: the caller's
 *   transaction then rolls back and nothing of the batch is stored.
 */
export async function appendBatch(client: Client, inputs: readonly AppendChatMessageInput[], defer: Defer): Promise<AppendChatMessageResult[]> {
  const roomIds = [...new Set(inputs.map((i) => i.roomId))];
  const earning = [...new Set(inputs.filter((i) => i.decide).map((i) => i.user.id))].sort();
  // Sent together, one round trip: PostgreSQL runs them in this order, so the reads after a
  // lock see what the lock's previous holder committed.
  const [, rooms, latest, locked, days, stored, counters] = await inOrder([
    client.query(PLAN_SETTINGS),
    client.query<{ id: string; last_seq: number }>(LOCK_ROOMS([roomIds])),
    client.query<SessionRow>(LATEST_SESSIONS([roomIds])),
    earning.length === 0 ? NO_ROWS : client.query<UserState & { id: string }>(LOCK_USERS([earning])),
    earning.length === 0
      ? NO_ROWS
      : client.query<{ user_id: string; day: string; chat_xp: number }>(USER_DAYS([inputs.map((i) => i.user.id), inputs.map((i) => i.day)])),
    client.query<MessageRow>(STORED([inputs.map((i) => i.user.id), inputs.map((i) => i.clientId)])),
    client.query<{ session_id: string; user_id: string; messages: number; coins: number }>(
      SESSION_COUNTERS([inputs.map((i) => i.roomId), inputs.map((i) => i.user.id)]),
    ),
  ]);
  if (rooms.rows.length !== roomIds.length) {
    const found = new Set(rooms.rows.map((r) => r.id));
    throw new Error(`room ${roomIds.find((id) => !found.has(id))} does not exist`);
  }
  const seqs = new Map(rooms.rows.map((r) => [r.id, r.last_seq]));
  const sessions = new Map<string, SessionRecord | null>(roomIds.map((id) => [id, null]));
  for (const row of latest.rows) sessions.set(row.room_id, toSession(row));
  const users = new Map<string, UserState>(locked.rows.map(({ id, ...state }) => [id, state]));
  const dailyXp = new Map(days.rows.map((r) => [key(r.user_id, r.day), r.chat_xp]));
  const byClientId = new Map<string, StoredMessage>(stored.rows.map((r) => [key(r.room_id, r.user_id, r.client_id), toMessage(r)]));
  const sessionCounts = new Map(counters.rows.map((r) => [key(r.session_id, r.user_id), { messages: r.messages, coins: r.coins }]));

  // messages; XP events; coin events; session counters (the last per session and user wins).
  const messageRows: object[] = [];
  const xpRows: object[] = [];
  const coinRows: object[] = [];
  /** Per (session, user): the counter row as the batch leaves it (the last append wins). */
  const sessionRows = new Map<string, object>();
  /** Per (user, day): the day's chat XP as the batch leaves it, for the rows it changed. */
  const dayRows = new Map<string, object>();
  const touchedUsers = new Set<string>();
  const results: AppendChatMessageResult[] = [];

  for (const input of inputs) {
    const { roomId, now } = input;
    const userId = input.user.id;
    const known = byClientId.get(key(roomId, userId, input.clientId));
    if (known) {
      results.push({ message: known, duplicate: true, sessionStarted: null });
      continue;
    }
    let session = sessions.get(roomId)!;
    let started = false;
    if (session === null || input.needsNewSession(session)) {
      session = await startIn(client, roomId, now, seqs.get(roomId)! + 1);
      sessions.set(roomId, session);
      started = true;
    }
    const seq = seqs.get(roomId)! + 1;
    seqs.set(roomId, seq);
    const id = timeOrderedUuid();

    const counterKey = key(session.id, userId);
    const counts = sessionCounts.get(counterKey) ?? { messages: 0, coins: 0 };
    let award: AwardSnapshot | null = null;
    if (input.decide) {
      const user = users.get(userId)!;
      const dayKey = key(userId, input.day);
      const daily = dailyXp.get(dayKey) ?? 0;
      const decision = input.decide({ dailyChatXp: daily, lastCoinAt: user.last_coin_at, now });
      const eventId = `chat:${id}`;
      if (decision.xp !== 0) {
        xpRows.push({ id: eventId, user_id: userId, delta: decision.xp, room_id: roomId, session_id: session.id, day: input.day, created_at: now });
        dailyXp.set(dayKey, daily + decision.xp);
        dayRows.set(dayKey, { user_id: userId, day: input.day, chat_xp: daily + decision.xp });
      }
      if (decision.coins !== 0) {
        coinRows.push({ id: eventId, user_id: userId, delta: decision.coins, room_id: roomId, session_id: session.id, created_at: now });
        user.last_coin_at = Math.max(user.last_coin_at ?? now, now);
      }
      user.total_xp += decision.xp;
      user.coin_balance += decision.coins;
      if (decision.xp !== 0 || decision.coins !== 0) touchedUsers.add(userId);
      award = {
        ...decision,
        totalXp: user.total_xp,
        dailyXp: daily + decision.xp,
        coinBalance: user.coin_balance,
        sessionId: session.id,
        sessionCoins: counts.coins + decision.coins,
        sessionMessages: counts.messages + 1,
      };
    }
    const after = { messages: counts.messages + 1, coins: counts.coins + (award?.coins ?? 0) };
    sessionCounts.set(counterKey, after);
    const userJson = JSON.stringify(input.user);
    sessionRows.set(counterKey, { session_id: session.id, user_id: userId, user_json: userJson, guest: input.guest, messages: after.messages, coins: after.coins, last_seq: seq });

    let replyTo = input.replyTo ?? null;
    if (replyTo) {
      const [original] = (await client.query<{ room_id: string; deleted: boolean }>(REPLY_ORIGINAL([replyTo.id]))).rows;
      if (!original || original.room_id !== roomId || original.deleted) replyTo = { ...replyTo, text: '' };
    }
    const stored = { id, seq, sessionId: session.id, userJson, award, replyTo };
    messageRows.push(newMessageRow(input, stored, input.guest));
    const message = appendedMessage(input, stored);
    byClientId.set(key(roomId, userId, input.clientId), message);
    results.push({ message, duplicate: false, sessionStarted: started ? session : null });
  }

  if (messageRows.length === 0) return results;
  const changedRooms = roomIds.filter((id) => results.some((r) => !r.duplicate && r.message.roomId === id));
  const changedUsers = [...touchedUsers].map((id) => ({ id, ...users.get(id)! }));
  // Sent with the transaction's COMMIT, in the same round trip.
  defer(() =>
    client.query(
      WRITE([
        JSON.stringify(messageRows),
        JSON.stringify(xpRows),
        JSON.stringify([...dayRows.values()]),
        JSON.stringify(coinRows),
        JSON.stringify(changedUsers),
        JSON.stringify([...sessionRows.values()]),
        JSON.stringify(changedRooms.map((id) => ({ id, last_seq: seqs.get(id)! }))),
      ]),
    ),
  );
  return results;
}
