import { atom } from 'nanostores';
import type { UserRef } from 'live-chat-protocol';

/** Who is hidden, as kept in localStorage: enough to name them in the undo line. */
export type HiddenUser = Pick<UserRef, 'id' | 'name'>;

/**
 * Users whose messages I chose not to see (issue 10, "Hide a user"): for me alone, remembered
 * per server and room in localStorage (`live-chat:hidden:<server>|<room>`, a JSON list of
 * `{ id, name }`), undoable. Where localStorage is not available it lasts for the page.
 */
export function createHiddenStore() {
  const $hidden = atom<readonly HiddenUser[]>([]);
  /** The user hidden last in this page (the undo line names them); null after an undo. */
  const $last = atom<HiddenUser | null>(null);
  let key: string | null = null;

  const save = (list: readonly HiddenUser[]) => {
    $hidden.set(list);
    try {
      if (key) localStorage.setItem(key, JSON.stringify(list));
    } catch {
      /* private mode, sandboxed frame: kept for the page only */
    }
  };

  return {
    $hidden,
    $last,
    /** Reads the list of a server (`server` attribute) and room. */
    load(server: string, room: string): void {
      key = `live-chat:hidden:${server}|${room}`;
      $last.set(null);
      try {
        const list = JSON.parse(localStorage.getItem(key) ?? '[]');
        $hidden.set(Array.isArray(list) ? list.filter((u) => typeof u?.id === 'string' && typeof u.name === 'string') : []);
      } catch {
        $hidden.set([]);
      }
    },
    /** Hides a user's messages (mine cannot be hidden: the caller never offers it). */
    hide(user: HiddenUser): void {
      if (!$hidden.get().some((u) => u.id === user.id)) save([...$hidden.get(), { id: user.id, name: user.name }]);
      $last.set({ id: user.id, name: user.name });
    },
    /** Shows a user's messages again (the undo). */
    unhide(userId: string): void {
      save($hidden.get().filter((u) => u.id !== userId));
      if ($last.get()?.id === userId) $last.set(null);
    },
    /** Shows everyone again. */
    showAll(): void {
      save([]);
      $last.set(null);
    },
  };
}
export type HiddenStore = ReturnType<typeof createHiddenStore>;
