/**
 * Presence batches (issue 8, "join storm"): per room, the users who arrived or went since the
 * room's last `presence:join` / `presence:leave`, so a storm of N joins costs one batch per
 * `STATS_INTERVAL_MS` per viewer instead of N events per viewer (N² frames).
 *
 * A user who arrived and went within one batch (or went and came back) is in neither list:
 * viewers who were there before and after see no change.
 */
import type { UserRef } from 'live-chat-protocol';

interface RoomBatch {
  joined: Map<string, UserRef>;
  left: Map<string, UserRef>;
}

export class PresenceBatches {
  private readonly rooms = new Map<string, RoomBatch>();

  /** Records a user's first socket joining (`joined`) or last socket leaving (`left`) a room. */
  add(roomId: string, user: UserRef, change: 'joined' | 'left'): void {
    let batch = this.rooms.get(roomId);
    if (!batch) this.rooms.set(roomId, (batch = { joined: new Map(), left: new Map() }));
    const [same, opposite] = change === 'joined' ? [batch.joined, batch.left] : [batch.left, batch.joined];
    if (!opposite.delete(user.id)) same.set(user.id, user);
  }

  /** The room's batch, forgotten here; empty lists when nothing changed. */
  take(roomId: string): { joined: UserRef[]; left: UserRef[] } {
    const batch = this.rooms.get(roomId);
    this.rooms.delete(roomId);
    return { joined: [...(batch?.joined.values() ?? [])], left: [...(batch?.left.values() ?? [])] };
  }

  /** Forgets every batch (on close). */
  clear(): void {
    this.rooms.clear();
  }
}
