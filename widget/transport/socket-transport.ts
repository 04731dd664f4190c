import type { ClientToServerEvents } from 'live-chat-protocol';
import type { ChatTransport, ClientError, TransportAck, TransportOptions, TransportStatus } from './chat-transport.ts';
import { SocketClient } from './socket-client.ts';
import { fromWire } from './wire-events.ts';

const offline: ClientError = { code: 'offline', message: 'not connected' };

/**
 * The {@link ChatTransport} over Socket.IO ({@link SocketClient}), for a real server.
 *
 * - `serverUrl` is the chat server's base URL (any origin; the server allows it by
 *   `CORS_ORIGINS`). A path is kept: `https://example.com/chat` talks to
 *   `https://example.com/chat/socket.io/`.
 * - WebSocket only: one round trip, no CORS preflight, no sticky sessions in front of several
 *   server instances, and no long-polling code in the bundle. A network that blocks WebSocket
 *   cannot use the widget.
 * - Packets are coded by `json-parser.ts` (the default format, without binary attachments).
 * - The token is read through `connect(getToken)` on every (re)connection attempt and sent as the
 *   handshake's `auth: { token }` (docs/protocol.md, "Identity").
 * - Calls made while disconnected answer `offline` at once instead of being buffered, so the
 *   widget's outbox is the only place where unsent messages wait.
 */
export function createSocketTransport(serverUrl: string, options: TransportOptions = {}): ChatTransport {
  let getToken = async (): Promise<string | null> => null;
  let restarting = false;
  const url = new URL(serverUrl, location.href);
  const socket = new SocketClient(url.origin, {
    path: url.pathname.replace(/\/$/, '') + '/socket.io/',
    reconnectionDelayMax: 10_000,
    auth: (cb) => {
      getToken().then(
        (token) => cb(token ? { token } : {}),
        () => cb({}),
      );
    },
  });
  const statusListeners = new Set<(s: TransportStatus, e?: ClientError) => void>();
  const report = (s: TransportStatus, e?: ClientError) => statusListeners.forEach((l) => l(s, e));

  socket.on('connect', () => report('connected'));
  socket.on('disconnect', (reason: string) => {
    // 'io server disconnect' does not reconnect by itself; ask again once.
    if (reason === 'io server disconnect') socket.connect();
    report(reason === 'io client disconnect' && !restarting ? 'closed' : 'disconnected');
  });
  socket.on('connect_error', (err: Error) => {
    const unauthorized = /unauthori[sz]ed/i.test(err.message);
    report(
      unauthorized ? 'unauthorized' : 'disconnected',
      { code: unauthorized ? 'unauthorized' : 'offline', message: err.message },
    );
  });

  const call = async <T extends object>(event: keyof ClientToServerEvents, payload: object): Promise<TransportAck<T>> => {
    if (!socket.connected) return { ok: false, error: offline };
    try {
      // The wire types are checked at each method below.
      return await socket.emitWithAck(event, payload, options.ackTimeoutMs ?? 10_000);
    } catch {
      return { ok: false, error: { code: 'timeout', message: `no ack for ${event}` } };
    }
  };

  return {
    connect(source) {
      getToken = source;
      restarting = socket.active;
      if (restarting) socket.disconnect();
      restarting = false;
      socket.connect();
    },
    disconnect: () => void socket.disconnect(),
    join: (p) => call('room:join', p),
    leave: (p) => call('room:leave', p),
    send: (p) => call('message:send', p),
    like: (p) => call('message:like', p),
    roomLike: (p) => call('room:like', p),
    typing: (p, active) => call(active ? 'typing:start' : 'typing:stop', p),
    deleteMessage: (p) => call('mod:delete', p),
    timeoutUser: (p) => call('mod:timeout', p),
    updateRoom: (p) => call('room:update', p),
    request: (event, p) => call(event, p),
    async history({ roomId, beforeSeq, limit = 50 }) {
      // HTTP, with the same token as the socket (a private room needs it).
      try {
        const token = await getToken().catch(() => null);
        const res = await fetch(new URL(`api/rooms/${encodeURIComponent(roomId)}/messages?beforeSeq=${beforeSeq}&limit=${limit}`, url.href.replace(/\/?$/, '/')), {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        const body = await res.json();
        return res.ok ? { ok: true, messages: body.messages } : { ok: false, error: body.error ?? { code: 'internal', message: String(res.status) } };
      } catch {
        return { ok: false, error: offline };
      }
    },
    on(event, listener) {
      const wire = fromWire(event, listener);
      socket.on(event, wire as any);
      return () => void socket.off(event, wire as any);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
  };
}
