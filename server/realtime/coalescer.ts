/**
 * Per-room coalescing of broadcasts such as `room:stats` and `leaderboard:update` (docs/protocol.md
 * "Rules": at most 4 a second per room): at most one flush per room per interval (250 ms, or
 * longer for a large room, see {@link fanoutPacedInterval}), the first change flushed at once,
 * later ones folded into one trailing flush at the end of the interval that reads the state at
 * that moment (so it carries the latest value).
 *
 * A room's entry lives while its interval runs: an interval that ends with nothing pending
 * drops the entry, so rooms nobody touches any more cost nothing.
 *
 * This paces network traffic, so it uses timers, not the injected domain clock; tests pass
 * their own {@link CoalescerTimers} to step through intervals without sleeping.
 */

/** The timer functions the coalescer uses; default: the global `setTimeout`/`clearTimeout`. */
export interface CoalescerTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: CoalescerTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Frames a second that one kind of coalesced broadcast (`room:stats`, `leaderboard:update`) may
 * cost one instance in one room: 2,000 (at 250 ms, a room of 500 viewers).
 */
const COALESCED_FRAMES_PER_SECOND = 2000;
/** The longest interval a large room's coalesced broadcasts wait, in ms. */
const MAX_COALESCE_INTERVAL_MS = 10_000;

/**
 * The interval of a room with `viewers` sockets on this instance, in ms: `baseMs` (the
 * `STATS_INTERVAL_MS` setting) up to 500 viewers, then long enough that the room's updates of
 * one kind cost at most {@link COALESCED_FRAMES_PER_SECOND} frames a second (1 s at 2,000
 * viewers, 5 s at 10,000), at most {@link MAX_COALESCE_INTERVAL_MS}. Without it, a 2,000-viewer
 * room's leaderboard alone added 8,000 frames a second, 40% on top of 10 messages a second.
 */
export function fanoutPacedInterval(baseMs: number, viewers: number): number {
  return Math.max(baseMs, Math.min(MAX_COALESCE_INTERVAL_MS, Math.ceil((viewers * 1000) / COALESCED_FRAMES_PER_SECOND)));
}

interface RoomState {
  /** Ends the current interval. */
  timer: unknown;
  /** A change arrived during the interval: flush when it ends. */
  pending: boolean;
}

export class RoomCoalescer {
  private readonly rooms = new Map<string, RoomState>();
  private closed = false;

  /**
   * @param intervalMs minimum ms between two flushes of one room, or that per room (asked as
   *   each interval starts).
   * @param flush sends the room's current state; a rejection is passed to `onError`.
   * @param onError gets a failed flush's error and the room.
   * @param timers injectable for tests; real timers by default.
   */
  constructor(
    private readonly intervalMs: number | ((roomId: string) => number),
    private readonly flush: (roomId: string) => Promise<void>,
    private readonly onError: (err: unknown, roomId: string) => void,
    private readonly timers: CoalescerTimers = realTimers,
  ) {}

  /** Asks for a flush of `roomId`: now when its interval is not running, else at its end. */
  schedule(roomId: string): void {
    if (this.closed) return;
    const state = this.rooms.get(roomId);
    if (state) {
      state.pending = true;
      return;
    }
    const fresh: RoomState = { timer: null, pending: false };
    this.rooms.set(roomId, fresh);
    this.run(roomId, fresh);
  }

  /** Rooms whose interval is running (pending or just flushed). */
  get activeRooms(): number {
    return this.rooms.size;
  }

  /** Cancels pending flushes; later `schedule` calls do nothing. */
  close(): void {
    this.closed = true;
    for (const state of this.rooms.values()) this.timers.clearTimeout(state.timer);
    this.rooms.clear();
  }

  /** Flushes now and starts an interval; at its end, flushes again if asked, else forgets the room. */
  private run(roomId: string, state: RoomState): void {
    state.pending = false;
    state.timer = this.timers.setTimeout(() => {
      if (this.closed) return;
      if (state.pending) this.run(roomId, state);
      else this.rooms.delete(roomId);
    }, typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs(roomId));
    this.flush(roomId).catch((err: unknown) => this.onError(err, roomId));
  }
}
