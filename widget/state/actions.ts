import type { ClientToServerEvents, Reaction } from 'live-chat-protocol';
import type { AckOf, PayloadOf, TransportAck } from '../transport/chat-transport.ts';

/**
 * What inner elements may ask of the connection. `<live-chat>` hands its connection
 * controller to them as `stores.actions`; a lone element in a story gets the no-op default.
 */
export interface ChatActions {
  /**
   * Sends a message (see `ConnectionController.send`), as a reply to the message `replyTo`
   * when given; false when nothing was queued.
   */
  send(text: string, replyTo?: string): boolean;
  /** Loads the page of messages before the first one shown (scrollback; see `ConnectionController.loadOlder`). */
  loadOlder(): Promise<void>;
  /** Back to the live end after paging back. */
  follow(): void;
  /** Toggles the user's reaction `emoji` on a message (`message:react`). */
  react(messageId: string, emoji: Reaction): void;
  /** Toggles the user's like on a message. */
  like(messageId: string): void;
  /** Sends one heart to the room (session likes). */
  heart(): void;
  /** The user is typing (true) or stopped (false): `typing:start` / `typing:stop`, throttled, small rooms only. */
  typing(active: boolean): void;
  /**
   * Sends a client event about the joined room (the host tools' `mod:*`, `room:pin`,
   * `room:update`, `session:*`), filling in `roomId`; answers the ack, or `offline` when no
   * room is joined.
   */
  request<E extends keyof ClientToServerEvents>(event: E, payload: Omit<PayloadOf<E>, 'roomId'>): Promise<TransportAck<AckOf<E>>>;
}

/** Actions that do nothing: the default until a `<live-chat>` connects its controller. */
export const noActions: ChatActions = {
  send: () => false,
  react() {},
  loadOlder: async () => {},
  follow() {},
  like() {},
  heart() {},
  typing() {},
  request: async () => ({ ok: false, error: { code: 'offline', message: 'not connected' } }),
};
