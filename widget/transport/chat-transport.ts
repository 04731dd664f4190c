import type { AckCallback, ClientToServerEvents, ErrorCode, Message, JoinAck, JoinPayload, LikesAck, MessageLikePayload, ModDeletePayload, ModTimeoutPayload, RoomAck, RoomLikePayload, RoomUpdatePayload, SendAck, SendPayload, ServerToClientEvents } from 'live-chat-protocol';

/**
 * An error the widget can meet: a wire error code (docs/protocol.md) or one of the
 * client's own: `offline` (no connection, nothing was sent) and `timeout` (sent, no ack in
 * time; a retry with the same `clientId` is safe).
 */
export type ClientErrorCode = ErrorCode | 'offline' | 'timeout';

export interface ClientError {
  code: ClientErrorCode;
  /** English, safe to log; the widget shows its own translated text. */
  message: string;
  /** ms until a retry can succeed (`rate_limited`, `slow_mode`, `timed_out`, `chat_closed`). */
  retryAfterMs?: number;
}

/** An ack as the widget sees it: the server's, or a client-side `offline` / `timeout`. */
export type TransportAck<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ClientError };

/**
 * What the transport reports about its connection:
 * - `connected`: the handshake succeeded (the widget then joins);
 * - `disconnected`: lost; the transport retries by itself;
 * - `unauthorized`: the handshake was refused for the token; it does not retry by itself;
 * - `closed`: disconnected on purpose (`disconnect()`), or the server closed it for good.
 */
export type TransportStatus = 'connected' | 'disconnected' | 'unauthorized' | 'closed';

/**
 * The widget's only door to a chat server: the Socket.IO wire contract of docs/protocol.md as
 * methods. `createSocketTransport` talks to a real server; `FakeTransport` (stories, tests)
 * plays one in memory. Methods never throw: failures come back as `{ ok: false, error }`.
 */
export interface ChatTransport {
  /**
   * Starts connecting (and reconnecting after a loss). `getToken` is called before every
   * attempt (null: connect as a guest); a later call replaces it and reconnects.
   */
  connect(getToken: () => Promise<string | null>): void;
  /** Closes the connection for good; reports `closed`. */
  disconnect(): void;
  /** `room:join`: history (or the replay after `sinceSeq`), me, leaderboard, stats, gap. */
  join(p: JoinPayload): Promise<TransportAck<JoinAck>>;
  /** `room:leave`. */
  leave(p: { roomId: string }): Promise<TransportAck>;
  /** `message:send`; idempotent by `clientId`. */
  send(p: SendPayload): Promise<TransportAck<SendAck>>;
  /** `message:like`: toggles the user's like on a message. */
  like(p: MessageLikePayload): Promise<TransportAck<LikesAck>>;
  /** `room:like`: session hearts. */
  roomLike(p: RoomLikePayload): Promise<TransportAck<LikesAck>>;
  /** `typing:start` (active) or `typing:stop`. */
  typing(p: { roomId: string }, active: boolean): Promise<TransportAck>;
  /** `mod:delete` (host / moderator). */
  deleteMessage(p: ModDeletePayload): Promise<TransportAck>;
  /** `mod:timeout` (host / moderator); `seconds` of silence. */
  timeoutUser(p: ModTimeoutPayload): Promise<TransportAck>;
  /** `room:update` (host / moderator). */
  updateRoom(p: RoomUpdatePayload): Promise<TransportAck<RoomAck>>;
  /**
   * Any client event by name, e.g. the host tools' `mod:ban` or `room:pin`: emits `payload`
   * and answers its ack (`offline` / `timeout` as the other methods do).
   */
  request<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>): Promise<TransportAck<AckOf<E>>>;
  /**
   * `GET /api/rooms/:roomId/messages?beforeSeq&limit`: older history, oldest first (issue 10,
   * "Scrollback"). Optional: without it the widget cannot page back past the join's history.
   */
  history?(p: { roomId: string; beforeSeq: number; limit?: number }): Promise<TransportAck<{ messages: Message[] }>>;
  /** Subscribes to a server event; returns the unsubscribe function. */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void;
  /** Subscribes to connection status; returns the unsubscribe function. */
  onStatus(listener: (status: TransportStatus, error?: ClientError) => void): () => void;
}

/** The payload of a client event, e.g. `RoomUpdatePayload` for `room:update`. */
export type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

/** What the ack of a client event carries when it succeeds, e.g. `RoomAck` for `room:update`. */
export type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** Options of `createSocketTransport`. */
export interface TransportOptions {
  /** ms to wait for an ack before answering `timeout`. Default 10 000. */
  ackTimeoutMs?: number;
}
