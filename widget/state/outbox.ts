import { atom } from 'nanostores';

/** A message the user sent that the server has not acknowledged yet. */
export interface PendingMessage {
  /** The idempotency key: the same on every retry (DESIGN.md, `message:send`). */
  clientId: string;
  roomId: string;
  text: string;
  /** ms since epoch, when the user pressed send. */
  createdAt: number;
  /** `sending` while a `message:send` is in flight, `queued` while waiting for a connection. */
  state: 'queued' | 'sending';
}

/**
 * The outbox (issue 2): messages typed while offline, or in flight, in the order typed.
 * They are shown as pending and sent once, with their `clientId`, on (re)connect.
 */
export function createOutboxStore() {
  const $outbox = atom<readonly PendingMessage[]>([]);
  return {
    $outbox,
    add(item: PendingMessage): void {
      $outbox.set([...$outbox.get(), item]);
    },
    /** Changes the state of one item. */
    mark(clientId: string, state: PendingMessage['state']): void {
      $outbox.set($outbox.get().map((p) => (p.clientId === clientId ? { ...p, state } : p)));
    },
    /** In flight when the link dropped: no ack will come, so `sending` goes back to `queued`. */
    requeue(): void {
      if ($outbox.get().some((p) => p.state === 'sending')) $outbox.set($outbox.get().map((p) => ({ ...p, state: 'queued' })));
    },
    /** Empties it (room left or switched). */
    clear(): void {
      $outbox.set([]);
    },
    /** Drops items by `clientId` (acknowledged, refused, or seen in a broadcast). */
    remove(...clientIds: string[]): void {
      $outbox.set($outbox.get().filter((p) => !clientIds.includes(p.clientId)));
    },
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
