import { atom } from 'nanostores';
import type { ClientError } from '../transport/chat-transport.ts';

/** A composer error shown inline, until `until` (ms since epoch) when it has a retry time. */
export interface ComposerError {
  error: ClientError;
  /** For `rate_limited`, `slow_mode`, `timed_out`: when sending works again. */
  until?: number;
}

/** A short notice over the chat, e.g. the level-up toast ("Level 5!"). */
export interface Toast {
  id: number;
  text: string;
}

/**
 * State that belongs to the interface rather than to the room: the composer's draft and
 * error, the user's likes, the leaderboard panel (narrow layout) and the toast.
 */
export function createUiStore() {
  return {
    $draft: atom(''),
    $composerError: atom<ComposerError | null>(null),
    /** Message ids the user liked in this page's life (for `aria-pressed`). */
    $liked: atom<ReadonlySet<string>>(new Set()),
    /** Whether the leaderboard panel is open in the narrow layout. */
    $panelOpen: atom(false),
    $toast: atom<Toast | null>(null),
  };
}
export type UiStore = ReturnType<typeof createUiStore>;
