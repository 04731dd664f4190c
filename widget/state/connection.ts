import { atom } from 'nanostores';
import type { ClientError } from '../transport/chat-transport.ts';

/**
 * Where the connection is:
 * - `idle`: not configured yet (no `server` / `transport`), or disconnected on purpose;
 * - `connecting`: first connection and join in progress;
 * - `online`: connected and joined, sends go out at once;
 * - `reconnecting`: lost after having been online; sends wait in the outbox;
 * - `error`: gave up (bad token, unknown room, no server attribute); see `error`.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'error';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the status is `error` (or the last connect failure while `reconnecting`). */
  error: ClientError | null;
}

/** The connection store; only the connection controller writes to it, through `setStatus`. */
export function createConnectionStore() {
  const $connection = atom<ConnectionState>({ status: 'idle', error: null });
  return {
    $connection,
    /** Sets the status (and why); returns the status it had before. */
    setStatus(status: ConnectionStatus, error: ClientError | null = null): ConnectionStatus {
      const previous = $connection.get().status;
      $connection.set({ status, error });
      return previous;
    },
  };
}
export type ConnectionStore = ReturnType<typeof createConnectionStore>;
