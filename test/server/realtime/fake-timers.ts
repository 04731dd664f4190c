/**
 * Timers on a hand-moved clock for the coalescer tests (`CoalescerTimers`): `advance(ms)` runs
 * what falls due, in order; nothing runs by itself.
 */
import type { CoalescerTimers } from '../../../server/realtime/coalescer.ts';

export class FakeTimers implements CoalescerTimers {
  now = 0;
  private queue: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.now + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  get pending(): number {
    return this.queue.length;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.now = due.at;
      due.run();
    }
    this.now = end;
  }
}
