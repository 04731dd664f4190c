/**
 * `message:reactions`, coalesced per room (docs/protocol.md, "Server → client events"): the
 * first change of a room is sent at once, later ones within `STATS_INTERVAL_MS` are folded
 * into one trailing flush. A flush sends one `message:reactions` per message whose counts
 * changed since the room's previous flush, each with the counts read at that moment, so the
 * last one a client gets for a message is current. Many toggles → few broadcasts.
 */
import type { ReactionCounts } from 'live-chat-protocol';
import { RoomCoalescer, type CoalescerTimers } from './coalescer.ts';

export interface ReactionBroadcastDeps {
  /** ms between two flushes of one room (`STATS_INTERVAL_MS`). */
  intervalMs: number;
  /** The message's current counts; null when it is gone (unknown or deleted): nothing is sent. */
  counts(roomId: string, messageId: string): Promise<ReactionCounts | null>;
  /** Sends one `message:reactions` to the room. */
  emit(payload: { roomId: string; messageId: string; reactions: ReactionCounts }): void;
  onError(err: unknown, roomId: string): void;
  /** Injectable for tests (see `RoomCoalescer`); real timers by default. */
  timers?: CoalescerTimers;
}

export class ReactionBroadcasts {
  /** room → messages changed since the room's last flush. */
  private readonly changed = new Map<string, Set<string>>();
  private readonly coalescer: RoomCoalescer;

  constructor(private readonly deps: ReactionBroadcastDeps) {
    this.coalescer = new RoomCoalescer(deps.intervalMs, (roomId) => this.flush(roomId), deps.onError, deps.timers);
  }

  /** A message's counts changed: sent now, or with the room's next flush. */
  changedOne(roomId: string, messageId: string): void {
    let messages = this.changed.get(roomId);
    if (!messages) this.changed.set(roomId, (messages = new Set()));
    messages.add(messageId);
    this.coalescer.schedule(roomId);
  }

  /** Cancels pending flushes. */
  close(): void {
    this.coalescer.close();
    this.changed.clear();
  }

  private async flush(roomId: string): Promise<void> {
    const messages = this.changed.get(roomId);
    this.changed.delete(roomId);
    for (const messageId of messages ?? []) {
      const reactions = await this.deps.counts(roomId, messageId);
      if (reactions) this.deps.emit({ roomId, messageId, reactions });
    }
  }
}
