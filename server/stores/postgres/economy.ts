/**
 * The economy of the PostgreSQL ledger: XP and coin events (append-only, insert-or-ignore by
 * id) with their running totals changed in the same transaction, standings, session scores
 * and the audit. The award for a chat message is decided by the rule the caller hands in; the
 * user's row is locked (`FOR UPDATE`, through an upsert) while the rule reads the daily chat
 * XP and the last coin time, so the cap and the cooldown are exact across instances.
 */
import type { AppendChatMessageInput, AwardSnapshot, Ledger, UserAudit, UserStanding } from '../ledger.ts';
import type { PgContext } from './context.ts';
import { transaction, type Client } from './pool.ts';
import { toScore, type ScoreRow } from './rows.ts';

/** Kind of the events a chat message earns. */
const CHAT_KIND = 'chat_message';
/** Outside XP events are stored under this id prefix so they never collide with chat ids. */
const API_PREFIX = 'api:';

type Economy = Pick<Ledger, 'userStanding' | 'sessionScores' | 'appendXpEvents' | 'listUsers' | 'audit'>;

interface UserRow {
  total_xp: number;
  coin_balance: number;
  last_coin_at: number | null;
}

/** What the message append needs to award a chat message inside its transaction. */
export interface ChatAward {
  roomId: string;
  userId: string;
  sessionId: string;
  /** The message's id; its events are `chat:<messageId>`. */
  messageId: string;
  now: number;
  day: string;
  decide: NonNullable<AppendChatMessageInput['decide']>;
}

/** Locks the user's row (creating it at zero) and answers it. */
async function lockUser(client: Client, userId: string): Promise<UserRow> {
  const { rows } = await client.query<UserRow>(
    `INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = excluded.id
     RETURNING total_xp, coin_balance, last_coin_at`,
    [userId],
  );
  return rows[0]!;
}

async function dailyChatXp(client: Client | PgContext['pool'], userId: string, day: string): Promise<number> {
  const { rows } = await client.query<{ chat_xp: number }>('SELECT chat_xp FROM user_days WHERE user_id = $1 AND day = $2', [userId, day]);
  return rows[0]?.chat_xp ?? 0;
}

/**
 * Decides and writes a chat message's award inside the append's transaction: locks the user,
 * asks `decide` with what the counters hold, appends the events and moves the counters. The
 * session counts are NOT moved here (the append does it with the message's seq); the snapshot
 * answered lacks them and is completed by the caller.
 */
export async function awardChatMessage(
  client: Client,
  { roomId, userId, sessionId, messageId, now, day, decide }: ChatAward,
): Promise<Omit<AwardSnapshot, 'sessionCoins' | 'sessionMessages'>> {
  const user = await lockUser(client, userId);
  const daily = await dailyChatXp(client, userId, day);
  const decision = decide({ dailyChatXp: daily, lastCoinAt: user.last_coin_at, now });
  const id = `chat:${messageId}`;
  const xp = decision.xp;
  const coins = decision.coins;
  if (xp !== 0) {
    await client.query(
      `INSERT INTO xp_events (id, user_id, kind, source, delta, room_id, session_id, day, created_at)
       VALUES ($1, $2, $3, 'chat', $4, $5, $6, $7, $8)`,
      [id, userId, CHAT_KIND, xp, roomId, sessionId, day, now],
    );
    await client.query(
      `INSERT INTO user_days (user_id, day, chat_xp) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, day) DO UPDATE SET chat_xp = user_days.chat_xp + excluded.chat_xp`,
      [userId, day, xp],
    );
  }
  if (coins !== 0) {
    await client.query(
      `INSERT INTO coin_events (id, user_id, kind, source, delta, room_id, session_id, created_at)
       VALUES ($1, $2, $3, 'chat', $4, $5, $6, $7)`,
      [id, userId, CHAT_KIND, coins, roomId, sessionId, now],
    );
  }
  const after = { total_xp: user.total_xp + xp, coin_balance: user.coin_balance + coins };
  if (xp !== 0 || coins !== 0) {
    await client.query(
      `UPDATE users SET total_xp = total_xp + $2, coin_balance = coin_balance + $3,
         last_coin_at = CASE WHEN $3::bigint <> 0 THEN GREATEST(COALESCE(last_coin_at, $4::bigint), $4::bigint) ELSE last_coin_at END
       WHERE id = $1`,
      [userId, xp, coins, now],
    );
  }
  return {
    xp,
    coins,
    coinReason: decision.coinReason,
    totalXp: after.total_xp,
    dailyXp: daily + xp,
    coinBalance: after.coin_balance,
    sessionId,
  };
}

/** The economy methods over the ledger's pool. */
export function economy(ctx: PgContext): Economy {
  const { pool } = ctx;
  const user = async (userId: string): Promise<UserRow | null> => {
    const { rows } = await pool.query<UserRow>('SELECT total_xp, coin_balance, last_coin_at FROM users WHERE id = $1', [userId]);
    return rows[0] ?? null;
  };
  return {
    async userStanding(userId, day): Promise<UserStanding> {
      await ctx.ready;
      const [row, daily] = await Promise.all([user(userId), dailyChatXp(pool, userId, day)]);
      return {
        userId,
        totalXp: row?.total_xp ?? 0,
        coinBalance: row?.coin_balance ?? 0,
        dailyChatXp: daily,
        lastCoinAt: row?.last_coin_at ?? null,
      };
    },
    async sessionScores(sessionId) {
      await ctx.ready;
      const { rows } = await pool.query<ScoreRow>(
        'SELECT user_id, user_json, coins, messages, last_seq FROM session_users WHERE session_id = $1 AND NOT guest',
        [sessionId],
      );
      return rows.map(toScore);
    },
    async appendXpEvents(events) {
      await ctx.ready;
      return transaction(pool, async (client) => {
        const acceptedIds: string[] = [];
        const duplicateIds: string[] = [];
        for (const e of events) {
          const { rowCount } = await client.query(
            `INSERT INTO xp_events (id, user_id, kind, source, delta, room_id, session_id, day, created_at, metadata)
             VALUES ($1, $2, $3, 'api', $4, $5, NULL, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
            [API_PREFIX + e.id, e.userId, e.kind, e.delta, e.roomId, e.day, e.now, e.metadata ? JSON.stringify(e.metadata) : null],
          );
          if (rowCount === 1) {
            await client.query(
              `INSERT INTO users (id, total_xp) VALUES ($1, $2)
               ON CONFLICT (id) DO UPDATE SET total_xp = users.total_xp + excluded.total_xp`,
              [e.userId, e.delta],
            );
            acceptedIds.push(e.id);
          } else {
            duplicateIds.push(e.id);
          }
        }
        return { acceptedIds, duplicateIds };
      });
    },
    async listUsers() {
      await ctx.ready;
      const { rows } = await pool.query<{ user_id: string }>(
        'SELECT user_id FROM (SELECT user_id FROM xp_events UNION SELECT user_id FROM coin_events) AS u ORDER BY user_id COLLATE "C"',
      );
      return rows.map((r) => r.user_id);
    },
    async audit(userId): Promise<UserAudit> {
      await ctx.ready;
      // One statement: one snapshot of totals and sums, even while others write.
      const { rows } = await pool.query<{ total_xp: number; xp: number; balance: number; coins: number }>(
        `SELECT COALESCE((SELECT total_xp FROM users WHERE id = $1), 0) AS total_xp,
                (SELECT COALESCE(SUM(delta), 0) FROM xp_events WHERE user_id = $1) AS xp,
                COALESCE((SELECT coin_balance FROM users WHERE id = $1), 0) AS balance,
                (SELECT COALESCE(SUM(delta), 0) FROM coin_events WHERE user_id = $1) AS coins`,
        [userId],
      );
      const row = rows[0]!;
      return { userId, totalXp: row.total_xp, xpEventsSum: row.xp, coinBalance: row.balance, coinEventsSum: row.coins };
    },
  };
}
