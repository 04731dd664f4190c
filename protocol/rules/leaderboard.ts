/**
 * Session leaderboard order (docs/protocol.md, "Rules"): coins desc, then messages desc, then
 * who got there first (lower `lastSeq`: the seq of the message that brought the user to the
 * score), then user id for a total order. The server's hot stores and the fake transport rank
 * with this one function.
 */
import type { LeaderboardEntry } from '../types.ts';

/** A user's unranked session score. */
export interface Score {
  userId: string;
  name: string;
  avatarUrl: string | null;
  coins: number;
  messages: number;
  /** Seq of the message that brought the user to this score. */
  lastSeq: number;
}

/** Comparator for `Array.prototype.sort`: negative when `a` ranks above `b`. */
export function compareScores(a: Score, b: Score): number {
  return b.coins - a.coins || b.messages - a.messages || a.lastSeq - b.lastSeq || (a.userId < b.userId ? -1 : 1);
}

/** The top `n` of `scores` as wire entries, ranked from 1. Does not modify `scores`. */
export function rankScores(scores: readonly Score[], n: number): LeaderboardEntry[] {
  return [...scores]
    .sort(compareScores)
    .slice(0, n)
    .map((s, i) => ({ rank: i + 1, userId: s.userId, name: s.name, avatarUrl: s.avatarUrl, coins: s.coins, messages: s.messages }));
}
