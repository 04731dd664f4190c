/**
 * Per-room coalescing of broadcasts such as `room:stats` and `leaderboard:update` (docs/protocol.md
 * "Rules": at most 4 a second per room): at most one flush per room per `intervalMs` (250 ms),
 * the first change flushed at once, later ones folded into one trailing flush at the end of
 * the interval that reads the state at that moment (so it carries the latest value).
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
   * @param intervalMs minimum ms between two flushes of one room.
   * @param flush sends the room's current state; a rejection is passed to `onError`.
   * @param onError gets a failed flush's error and the room.
   * @param timers injectable for tests; real timers by default.
   */
  constructor(
    private readonly intervalMs: number,
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
    }, this.intervalMs);
    this.flush(roomId).catch((err: unknown) => this.onError(err, roomId));
  }
}
