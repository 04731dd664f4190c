import { Decoder, Encoder, PacketType, type Packet } from './json-parser.ts';

/** Options of {@link SocketClient}. */
export interface SocketClientOptions {
  /** The server's Socket.IO path, e.g. `/socket.io/` or `/chat/socket.io/`. */
  path: string;
  /** Longest wait between two reconnection attempts, ms. Default 5 000. */
  reconnectionDelayMax?: number;
  /** Called before every connection attempt; the object it hands back is the handshake's `auth`. */
  auth: (cb: (data: object) => void) => void;
}

type Listener = (...args: any[]) => void;

/** ms before the first reconnection attempt; doubles per failed attempt, ±50 % jitter (socket.io-client's defaults). */
const RECONNECT_MS = 1000;

/**
 * A Socket.IO client for the one namespace `/`, over WebSocket only, with JSON packets only
 * (Engine.IO protocol 4, Socket.IO protocol 5: what `socket.io` 4.x servers speak). It does
 * what the widget used socket.io-client for, in about 1.2 KB min+gzip instead of 9.6 KB
 * (issue 10, "Size"): the handshake with `auth`, the heartbeat (answers the server's pings and
 * drops a connection that stops pinging), events and acks with a timeout, and reconnection
 * with backoff. It leaves out long-polling, binary attachments, several namespaces and
 * buffering while offline (the widget's outbox is the one place where sends wait).
 *
 * Emits `connect`, `disconnect` (`reason`: `io server disconnect`, `io client disconnect`,
 * `transport close`, `ping timeout`) and `connect_error` (an `Error`; after the server's
 * middleware refused the handshake, e.g. `unauthorized`, it does not retry by itself, as
 * socket.io-client does not), and the server's events.
 */
export class SocketClient {
  /** True while the namespace is connected. */
  connected = false;
  /** True from `connect()` until `disconnect()` or a refused handshake: it (re)connects by itself. */
  active = false;

  #url: string;
  #options: SocketClientOptions;
  #ws?: WebSocket;
  #listeners = new Map<string, Set<Listener>>();
  #acks = new Map<number, (args: unknown[]) => void>();
  #nextId = 0;
  #attempts = 0;
  #reconnectTimer?: ReturnType<typeof setTimeout>;
  #pingTimer?: ReturnType<typeof setTimeout>;
  #pingWindow = 0;
  #decoder = new Decoder();
  #encoder = new Encoder();

  /** `origin`: the server's origin (`https://chat.example.com`); nothing happens before `connect()`. */
  constructor(origin: string, options: SocketClientOptions) {
    this.#url = `${origin.replace(/^http/, 'ws')}${options.path}?EIO=4&transport=websocket`;
    this.#options = options;
    this.#decoder.on('decoded', (p) => this.#packet(p));
  }

  on(event: string, listener: Listener): void {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event)!.add(listener);
  }

  off(event: string, listener: Listener): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** Starts connecting (no-op while a connection is open or being made). */
  connect(): void {
    this.active = true;
    if (this.#ws) return;
    clearTimeout(this.#reconnectTimer);
    const ws = (this.#ws = new WebSocket(this.#url));
    ws.onmessage = (e) => ws === this.#ws && this.#frame(String(e.data));
    ws.onclose = () => this.#closed(ws, 'transport close');
  }

  /** Closes the connection for good (reports `disconnect` with `io client disconnect`). */
  disconnect(): void {
    if (this.connected) this.#send(`4${PacketType.DISCONNECT}`);
    this.active = false;
    this.#drop('io client disconnect');
  }

  /**
   * Emits `event` with `payload` and resolves with the first argument of the server's ack.
   * @throws (rejects) when no ack came within `timeoutMs` ms.
   */
  emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#acks.delete(id);
        reject(new Error('timeout'));
      }, timeoutMs);
      this.#acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0]);
      });
      this.#send(this.#socketPacket({ type: PacketType.EVENT, nsp: '/', id, data: [event, payload] }));
    });
  }

  #emit(event: string, ...args: unknown[]): void {
    this.#listeners.get(event)?.forEach((l) => l(...args));
  }

  #send(frame: string): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(frame);
  }

  #socketPacket(p: Packet): string {
    return `4${this.#encoder.encode(p)[0]}`;
  }

  /** One Engine.IO packet: `0` open, `1` close, `2` ping, `4` message (a Socket.IO packet). */
  #frame(frame: string): void {
    const type = frame[0];
    if (type === '0') {
      const open = JSON.parse(frame.slice(1));
      this.#pingWindow = open.pingInterval + open.pingTimeout;
      this.#heartbeat();
      const ws = this.#ws;
      this.#options.auth((data) => ws === this.#ws && this.#send(this.#socketPacket({ type: PacketType.CONNECT, nsp: '/', data })));
    } else if (type === '2') {
      this.#heartbeat();
      this.#send('3');
    } else if (type === '1') {
      this.#ws?.close();
    } else if (type === '4') {
      try {
        this.#decoder.add(frame.slice(1));
      } catch {
        this.#ws?.close();
      }
    }
  }

  #packet(p: Packet): void {
    const data = p.data as any;
    if (p.type === PacketType.CONNECT) {
      this.connected = true;
      this.#attempts = 0;
      this.#emit('connect');
    } else if (p.type === PacketType.CONNECT_ERROR) {
      this.active = false;
      this.#drop();
      this.#emit('connect_error', new Error(data?.message ?? String(data)));
    } else if (p.type === PacketType.EVENT) {
      this.#emit(data[0], ...data.slice(1));
    } else if (p.type === PacketType.ACK) {
      this.#acks.get(p.id!)?.(data);
      this.#acks.delete(p.id!);
    } else if (p.type === PacketType.DISCONNECT) {
      this.active = false;
      this.#drop('io server disconnect');
    }
  }

  /** Drops the connection if the server stops pinging (its `pingInterval` + `pingTimeout`). */
  #heartbeat(): void {
    clearTimeout(this.#pingTimer);
    const ws = this.#ws;
    this.#pingTimer = setTimeout(() => ws && this.#closed(ws, 'ping timeout'), this.#pingWindow);
  }

  /** The socket closed (or stopped answering): report it, and reconnect while active. */
  #closed(ws: WebSocket, reason: string): void {
    if (ws !== this.#ws) return;
    const was = this.connected;
    this.#drop(reason);
    if (!was) this.#emit('connect_error', new Error('websocket error'));
    if (!this.active) return;
    const delay = Math.min(this.#options.reconnectionDelayMax ?? 5000, RECONNECT_MS * 2 ** this.#attempts++) * (0.5 + Math.random());
    this.#reconnectTimer = setTimeout(() => this.active && this.connect(), delay);
  }

  /** Closes the WebSocket and stops the timers; reports `disconnect` with `reason` if connected. */
  #drop(reason?: string): void {
    const ws = this.#ws;
    const was = this.connected;
    this.#ws = undefined;
    this.connected = false;
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#reconnectTimer);
    if (ws) {
      ws.onclose = ws.onmessage = null;
      ws.close();
    }
    if (was && reason) this.#emit('disconnect', reason);
  }
}
