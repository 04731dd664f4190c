import { atom } from 'nanostores';
import type { Message, Reaction } from 'live-chat-protocol';
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
 * error, the user's likes, the leaderboard panel (narrow layout) and the toast. Written
 * through the actions below, never with `.set` from a component.
 */
export function createUiStore() {
  const $draft = atom('');
  const $composerError = atom<ComposerError | null>(null);
  const $liked = atom<ReadonlySet<string>>(new Set());
  const $panelOpen = atom(false);
  const $toast = atom<Toast | null>(null);
  const $replyTo = atom<Message | null>(null);
  const $mine = atom<ReadonlyMap<string, readonly Reaction[]>>(new Map());
  return {
    /** The message the composer answers ("Replying to Ana"); null: a plain message. */
    $replyTo,
    /** My reactions per message id, as the last `message:react` ack said (for `aria-pressed`). */
    $mine,
    /** Starts (a message) or cancels (null) a reply. */
    replyTo(message: Message | null): void {
      $replyTo.set(message);
    },
    /** Records my reactions on a message (from its `message:react` ack). */
    setMine(id: string, reactions: readonly Reaction[]): void {
      $mine.set(new Map($mine.get()).set(id, reactions));
    },
    $draft,
    $composerError,
    /** Message ids the user liked in this page's life (for `aria-pressed`). */
    $liked,
    /** Whether the leaderboard panel is open in the narrow layout. */
    $panelOpen,
    $toast,

    /** What the input holds. */
    setDraft(text: string): void {
      $draft.set(text);
    },
    /**
     * A send the server refused: shows the error (until `retryAfterMs` has passed, when it
     * has one) and gives the text back to an empty input.
     */
    refuseSend(error: ClientError, text: string): void {
      $composerError.set({ error, ...(error.retryAfterMs && { until: Date.now() + error.retryAfterMs }) });
      if (!$draft.get()) $draft.set(text);
    },
    /** Clears the composer's error (a new send, sign-out). */
    clearError(): void {
      $composerError.set(null);
    },
    /** Records whether the user likes message `id` now. */
    setLiked(id: string, liked: boolean): void {
      const next = new Set($liked.get());
      if (liked) next.add(id);
      else next.delete(id);
      $liked.set(next);
    },
    /** Opens or closes the leaderboard panel (narrow layout); toggles without `open`. */
    togglePanel(open = !$panelOpen.get()): void {
      $panelOpen.set(open);
    },
    /** Shows a toast (replacing the one shown). */
    showToast(text: string): void {
      $toast.set({ id: Date.now(), text });
    },
    /** Hides the toast; with `id`, only if that one is still shown. */
    dismissToast(id?: number): void {
      if (id === undefined || $toast.get()?.id === id) $toast.set(null);
    },
  };
}
export type UiStore = ReturnType<typeof createUiStore>;
