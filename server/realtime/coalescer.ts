/**
 * Per-room coalescing of broadcasts such as `room:stats` and `leaderboard:update`: at most one
 * flush per room per `intervalMs` (250 ms → at most 4 a second), the first change flushed at
 * once, later ones folded into one trailing flush that reads the state at that moment.
 *
 * This paces network traffic, so it uses real timers, not the injected domain clock.
 */
export class RoomCoalescer {
  private readonly rooms = new Map<string, { last: number; timer: NodeJS.Timeout | null }>();
  private closed = false;

  /**
   * @param intervalMs minimum ms between two flushes of one room.
   * @param flush sends the room's current state; a rejection is passed to `onError`.
   */
  constructor(
    private readonly intervalMs: number,
    private readonly flush: (roomId: string) => Promise<void>,
    private readonly onError: (err: unknown, roomId: string) => void,
  ) {}

  /** Asks for a flush of `roomId` as soon as the interval allows. */
  schedule(roomId: string): void {
    if (this.closed) return;
    let state = this.rooms.get(roomId);
    if (!state) this.rooms.set(roomId, (state = { last: -Infinity, timer: null }));
    if (state.timer) return;
    const wait = state.last + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.run(roomId, state);
      return;
    }
    const s = state;
    state.timer = setTimeout(() => {
      s.timer = null;
      this.run(roomId, s);
    }, wait);
  }

  /** Cancels pending flushes; later `schedule` calls do nothing. */
  close(): void {
    this.closed = true;
    for (const state of this.rooms.values()) if (state.timer) clearTimeout(state.timer);
    this.rooms.clear();
  }

  private run(roomId: string, state: { last: number }): void {
    if (this.closed) return;
    state.last = performance.now();
    this.flush(roomId).catch((err: unknown) => this.onError(err, roomId));
  }
}
