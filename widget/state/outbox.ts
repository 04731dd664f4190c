import { atom } from 'nanostores';
import type { UserRef } from 'live-chat-protocol';

/** A message the user sent that the server has not acknowledged yet. */
export interface PendingMessage {
  /** The idempotency key: the same on every retry (docs/protocol.md, `message:send`). */
  clientId: string;
  roomId: string;
  text: string;
  /** ms since epoch, when the user pressed send. */
  createdAt: number;
  /** `sending` while a `message:send` is in flight, `queued` while waiting for a connection. */
  state: 'queued' | 'sending';
  /** The author, so a pending message restored after a reload shows before the join. */
  user?: UserRef;
  /** The message it answers (`message:send`'s `replyTo`). */
  replyTo?: string;
}

/** Where the outbox is kept beyond the page (see widget/state/outbox-db.ts); set by the connection. */
export interface OutboxPersistence {
  put(item: PendingMessage): void;
  drop(clientIds: string[]): void;
}

/**
 * The outbox (issue 2, issue 10 "An outbox that survives the tab"): messages typed while
 * offline, or in flight, in the order typed. They are shown as pending and sent once, with
 * their `clientId`, on (re)connect. `add` and `remove` also write through `persist` (IndexedDB
 * per server, room and user); `clear` (leaving the room) and state changes do not.
 */
export function createOutboxStore() {
  const $outbox = atom<readonly PendingMessage[]>([]);
  const store = {
    $outbox,
    /** Keeps the outbox beyond the page; undefined: in memory only. */
    persist: undefined as OutboxPersistence | undefined,
    add(item: PendingMessage): void {
      $outbox.set([...$outbox.get(), item]);
      store.persist?.put(item);
    },
    /**
     * Adds items kept from an earlier page (queued), skipping the ones held; oldest first.
     * @returns how many were added.
     */
    restore(items: readonly PendingMessage[]): number {
      const held = new Set($outbox.get().map((p) => p.clientId));
      const fresh = items.filter((p) => !held.has(p.clientId)).map((p) => ({ ...p, state: 'queued' as const }));
      if (fresh.length) $outbox.set([...$outbox.get(), ...fresh].sort((a, b) => a.createdAt - b.createdAt));
      return fresh.length;
    },
    /** Changes the state of one item. */
    mark(clientId: string, state: PendingMessage['state']): void {
      $outbox.set($outbox.get().map((p) => (p.clientId === clientId ? { ...p, state } : p)));
    },
    /** In flight when the link dropped: no ack will come, so `sending` goes back to `queued`. */
    requeue(): void {
      if ($outbox.get().some((p) => p.state === 'sending')) $outbox.set($outbox.get().map((p) => ({ ...p, state: 'queued' })));
    },
    /** Empties it (room left or switched); what is persisted stays for the next visit. */
    clear(): void {
      $outbox.set([]);
    },
    /** Drops items by `clientId` (acknowledged, refused, or seen in a broadcast), here and persisted. */
    remove(...clientIds: string[]): void {
      if (!clientIds.length) return;
      $outbox.set($outbox.get().filter((p) => !clientIds.includes(p.clientId)));
      store.persist?.drop(clientIds);
    },
  };
  return store;
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
