import { atom } from 'nanostores';
import type { Message } from 'live-chat-protocol';

/** At most this many messages are held (and so rendered): DESIGN.md / issue 2, "200 nodes". */
export const MAX_MESSAGES = 200;

/**
 * The room's messages, oldest first (ascending `seq`), at most {@link MAX_MESSAGES}.
 * Every write goes through an action here, which drops duplicates by `id` (DESIGN.md,
 * "On reconnect … the widget drops duplicates by id").
 */
export function createMessageStore() {
  const $messages = atom<readonly Message[]>([]);

  const commit = (byId: Map<string, Message>) => {
    $messages.set([...byId.values()].sort((a, b) => a.seq - b.seq).slice(-MAX_MESSAGES));
  };

  return {
    $messages,

    /** Replaces everything, e.g. the history of a first join or after `gap: true`. */
    reset(list: readonly Message[] = []): void {
      commit(new Map(list.map((m) => [m.id, m])));
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

    /** Applies a change to one held message; unknown ids are ignored. */
    patch(id: string, change: Partial<Message>): void {
      $messages.set($messages.get().map((m) => (m.id === id ? { ...m, ...change } : m)));
    },

    /** The highest `seq` held: what a rejoin passes as `sinceSeq`. undefined when empty. */
    lastSeq(): number | undefined {
      return $messages.get().at(-1)?.seq;
    },
  };
}
export type MessageStore = ReturnType<typeof createMessageStore>;
