/**
 * The award rule for one chat message (docs/protocol.md, "Rules"; decided by the server inside
 * the transaction that stores the message, and by the fake transport for stories and tests):
 * - XP: `xpPerMessage`, clamped so chat XP never passes `dailyXpCap` in a UTC day; 0 once the
 *   cap is reached.
 * - Coins: `coinsPerMessage` unless the user's last coin award was less than
 *   `coinCooldownSeconds` ago.
 * - `coinReason`: `chat_message` when coins were awarded; otherwise `cap_reached` when the
 *   message earned nothing because the daily cap is reached; otherwise `rate_limited` when the
 *   cooldown withheld the coin; otherwise null (coins are switched off).
 */
import type { CoinReason } from '../types.ts';

/** The numbers of the rule (see `DEFAULT_LIMITS`). */
export interface AwardRules {
  xpPerMessage: number;
  /** Chat XP per UTC day. */
  dailyXpCap: number;
  coinsPerMessage: number;
  /** s between two coin awards. */
  coinCooldownSeconds: number;
}

/** What the rule reads: the user's chat XP of the UTC day and the time of their last coin award. */
export interface AwardState {
  dailyChatXp: number;
  /** ms since the epoch, or null when the user never earned a chat coin. */
  lastCoinAt: number | null;
  /** ms since the epoch. */
  now: number;
}

export interface AwardDecision {
  xp: number;
  coins: number;
  coinReason: CoinReason;
}

/** Pure: the award for one message. Never throws. */
export function decideAward(rules: AwardRules, { dailyChatXp, lastCoinAt, now }: AwardState): AwardDecision {
  const capReached = dailyChatXp >= rules.dailyXpCap;
  const xp = capReached ? 0 : Math.min(rules.xpPerMessage, rules.dailyXpCap - dailyChatXp);
  const inCooldown = lastCoinAt !== null && now - lastCoinAt < rules.coinCooldownSeconds * 1000;
  const coins = rules.coinsPerMessage > 0 && !inCooldown ? rules.coinsPerMessage : 0;
  let coinReason: CoinReason = null;
  if (coins > 0) coinReason = 'chat_message';
  else if (capReached && xp === 0) coinReason = 'cap_reached';
  else if (inCooldown) coinReason = 'rate_limited';
  return { xp, coins, coinReason };
}

const DAY_MS = 86_400_000;
/** The last day {@link utcDay} answered: its first ms and its name (every message asks). */
let lastDay = { start: NaN, name: '' };

/** The UTC day (`YYYY-MM-DD`) of a time in ms: the unit of the daily XP cap. */
export function utcDay(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.start + DAY_MS) return lastDay.name;
  const name = new Date(ms).toISOString().slice(0, 10);
  lastDay = { start: Math.floor(ms / DAY_MS) * DAY_MS, name };
  return name;
}
