import { atom } from 'nanostores';
import { MAX_MESSAGE_LENGTH } from './composer.ts';
import type { LeaderboardEntry, Room, RoomStats, Session } from 'live-chat-protocol';

/**
 * The joined room, its current session, and its window (`opensAt` / `closesAt`), plus the
 * server's longest message in characters (`JoinAck.limits.maxMessageLength`, default 2000).
 */
export function createRoomStore() {
  return {
    $room: atom<Room | null>(null),
    $session: atom<Session | null>(null),
    $maxLength: atom(MAX_MESSAGE_LENGTH),
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;

/** Occupancy and session likes, as the last `room:stats` (or the join ack) said. */
export function createStatsStore() {
  const $stats = atom<RoomStats | null>(null);
  return {
    $stats,
    /** Optimistic +n for a heart the user just sent; the ack or next `room:stats` corrects it. */
    addLikes(n: number): void {
      const s = $stats.get();
      if (s) $stats.set({ ...s, likes: s.likes + n });
    },
  };
}
export type StatsStore = ReturnType<typeof createStatsStore>;

/** The session leaderboard, best first, as the join ack or `leaderboard:update` sent it. */
export function createLeaderboardStore() {
  return { $leaderboard: atom<readonly LeaderboardEntry[]>([]) };
}
export type LeaderboardStore = ReturnType<typeof createLeaderboardStore>;
