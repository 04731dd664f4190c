import { atom } from 'nanostores';
import { MAX_MESSAGE_LENGTH } from './composer.ts';
import type { JoinAck, LeaderboardEntry, Room, RoomStats, Session, UserRef } from 'live-chat-protocol';

/**
 * The joined room, its current session, and its window (`opensAt` / `closesAt`), plus the
 * server's longest message in characters (`JoinAck.limits.maxMessageLength`, default 2000).
 */
export function createRoomStore() {
  const $room = atom<Room | null>(null);
  const $session = atom<Session | null>(null);
  const $maxLength = atom(MAX_MESSAGE_LENGTH);
  /** `limits.smallRoomLimit` of the join ack (viewers); Infinity from an older server (treat as small). */
  const $smallRoomLimit = atom(Infinity);
  /** Who is typing in the room now (the last `typing` event), me included. */
  const $typing = atom<readonly UserRef[]>([]);
  return {
    $room,
    $session,
    $maxLength,
    $smallRoomLimit,
    $typing,
    /** The last `typing` event's list. */
    setTyping(users: readonly UserRef[]): void {
      $typing.set(users);
    },
    /** Takes the room, session and limits of a `room:join` ack. */
    applyJoin(ack: Pick<JoinAck, 'room' | 'session' | 'limits'>): void {
      $room.set(ack.room);
      $session.set(ack.session);
      $maxLength.set(ack.limits?.maxMessageLength ?? MAX_MESSAGE_LENGTH);
      $smallRoomLimit.set(ack.limits?.smallRoomLimit ?? Infinity);
    },
    /** A `room:updated`: title, window, slow mode changed. */
    update(room: Room): void {
      $room.set(room);
    },
    /**
     * A `session:updated`: the session started (a new one) or ended (`endedAt` set, or null).
     * @returns true when a new session is running, whose leaderboard starts empty.
     */
    setSession(session: Session | null): boolean {
      const fresh = !!session && !session.endedAt && session.id !== $session.get()?.id;
      $session.set(session);
      return fresh;
    },
    /** Forgets the room (left, switched, or disconnected). */
    clear(): void {
      $room.set(null);
      $session.set(null);
      $typing.set([]);
    },
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;

/** Occupancy and session likes, as the last `room:stats` (or the join ack) said. */
export function createStatsStore() {
  const $stats = atom<RoomStats | null>(null);
  return {
    $stats,
    /** The join ack's or a `room:stats`'s numbers; null forgets them. */
    apply(stats: RoomStats | null): void {
      $stats.set(stats);
    },
    /** A heart's ack: session likes as the server counts them, never lowered by a late ack. */
    raiseLikes(likes: number): void {
      const s = $stats.get();
      if (s && likes > s.likes) $stats.set({ ...s, likes });
    },
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
  const $leaderboard = atom<readonly LeaderboardEntry[]>([]);
  return {
    $leaderboard,
    /** The join ack's or a `leaderboard:update`'s entries; [] empties it. */
    apply(entries: readonly LeaderboardEntry[]): void {
      $leaderboard.set(entries);
    },
  };
}
export type LeaderboardStore = ReturnType<typeof createLeaderboardStore>;
