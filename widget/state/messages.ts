import { atom } from 'nanostores';
import type { Message } from 'live-chat-protocol';

/** At most this many messages are held (and so rendered): issue 2, "200 nodes". */
export const MAX_MESSAGES = 200;

/** Messages by id, oldest first (ascending `seq`), the first or last `MAX_MESSAGES`. */
const slice = (byId: Map<string, Message>, keep: 'newest' | 'oldest'): Message[] => {
  const list = [...byId.values()].sort((a, b) => a.seq - b.seq);
  return keep === 'newest' ? list.slice(-MAX_MESSAGES) : list.slice(0, MAX_MESSAGES);
};

/**
 * The room's messages, oldest first (ascending `seq`), at most {@link MAX_MESSAGES}.
 * Every write goes through an action here, which drops duplicates by `id` (docs/protocol.md,
 * "Resume and idempotency": keep one per `id`).
 *
 * Scrollback (issue 10): `$older` is a window of at most 200 messages further back, shown
 * instead of the live ones while the reader pages back (`showOlder`); `follow()` returns to
 * the live end. `$messages` keeps following the room meanwhile.
 */
export function createMessageStore() {
  const $messages = atom<readonly Message[]>([]);
  /** The window the reader paged back to; null: following the live end. */
  const $older = atom<readonly Message[] | null>(null);
  /** True when paging back reached the room's first message. */
  const $atStart = atom(false);

  const commit = (byId: Map<string, Message>) => {
    $messages.set(slice(byId, 'newest'));
  };

  return {
    $messages,
    $older,
    $atStart,

    /** Replaces everything, e.g. the history of a first join or after `gap: true`. */
    reset(list: readonly Message[] = []): void {
      commit(new Map(list.map((m) => [m.id, m])));
      $older.set(null);
      $atStart.set(false);
    },

    /**
     * Adds messages and updates the ones already held (same `id`: likes, reward, deleted).
     * @returns the messages that were not held before (for `lc-message` and announcements).
     */
    merge(list: readonly Message[]): Message[] {
      const byId = new Map($messages.get().map((m) => [m.id, m]));
      const added = list.filter((m) => !byId.has(m.id));
      for (const m of list) byId.set(m.id, m);
      if (list.length) commit(byId);
      return added;
    },

    /** Applies a change to one held message (live and paged back); unknown ids are ignored. */
    patch(id: string, change: Partial<Message>): void {
      const apply = (list: readonly Message[]) => list.map((m) => (m.id === id ? { ...m, ...change } : m));
      $messages.set(apply($messages.get()));
      const older = $older.get();
      if (older) $older.set(apply(older));
    },

    /** The highest `seq` held: what a rejoin passes as `sinceSeq`. undefined when empty. */
    lastSeq(): number | undefined {
      return $messages.get().at(-1)?.seq;
    },

    /** The lowest `seq` shown (paged back or live): what the next page passes as `beforeSeq`. */
    firstSeq(): number | undefined {
      return ($older.get() ?? $messages.get())[0]?.seq;
    },

    /**
     * A page of older messages (oldest first) goes above the ones shown; the window keeps the
     * oldest 200, so the newest leave while the reader pages back. An empty page: the start.
     */
    showOlder(page: readonly Message[]): void {
      if (!page.length) return $atStart.set(true);
      const byId = new Map(($older.get() ?? $messages.get()).map((m) => [m.id, m]));
      for (const m of page) if (!byId.has(m.id)) byId.set(m.id, m);
      $older.set(slice(byId, 'oldest'));
      if (page[0]!.seq <= 1) $atStart.set(true);
    },

    /** Back to the live end (the reader reached the bottom of the window paged back to). */
    follow(): void {
      $older.set(null);
    },
  };
}
export type MessageStore = ReturnType<typeof createMessageStore>;
