/**
 * The economy of the PostgreSQL ledger: XP and coin events (append-only, insert-or-ignore by
 * id) with their running totals changed in the same transaction, standings, session scores
 * and the audit. A chat message's award is decided and written with the message, in
 * `append.ts`.
 */
import type { Ledger, UserAudit, UserStanding } from '../ledger.ts';
import type { PgContext } from './context.ts';
import { transaction, type Client } from './pool.ts';
import { toScore, type ScoreRow } from './rows.ts';

/** Kind of the events a chat message earns. */
export const CHAT_KIND = 'chat_message';
/** Outside XP events are stored under this id prefix so they never collide with chat ids. */
const API_PREFIX = 'api:';

type Economy = Pick<Ledger, 'userStanding' | 'sessionScores' | 'appendXpEvents' | 'listUsers' | 'audit'>;

interface UserRow {
  total_xp: number;
  coin_balance: number;
  last_coin_at: number | null;
}

async function dailyChatXp(client: Client | PgContext['pool'], userId: string, day: string): Promise<number> {
  const { rows } = await client.query<{ chat_xp: number }>('SELECT chat_xp FROM user_days WHERE user_id = $1 AND day = $2', [userId, day]);
  return rows[0]?.chat_xp ?? 0;
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
