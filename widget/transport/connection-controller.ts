import type { ReactiveController, ReactiveElement } from 'lit';
import { checkText, LIKE_REACTION, type ClientToServerEvents, type Reaction } from 'live-chat-protocol';
import { LcConnectionChangeEvent } from '../events/connection-change-event.ts';
import { LcErrorEvent, type LcErrorDetail } from '../events/error-event.ts';
import { LcLikeEvent } from '../events/like-event.ts';
import { LcSendEvent } from '../events/send-event.ts';
import type { ChatActions } from '../state/actions.ts';
import type { ChatStores } from '../state/chat-stores.ts';
import { outboxDb } from '../state/outbox-db.ts';
import type { ConnectionStatus } from '../state/connection.ts';
import type { AckOf, ChatTransport, ClientError, PayloadOf, TransportAck, TransportStatus } from './chat-transport.ts';
import { OutboxSender, transient } from './outbox-sender.ts';
import { RoomSync } from './room-sync.ts';
import { TypingSender } from './typing-sender.ts';
import { createSocketTransport } from './socket-transport.ts';

/** What the controller needs from `<live-chat>`. */
export interface ConnectionHost extends ReactiveElement {
  readonly stores: ChatStores;
  server: string | null;
  room: string;
  token: string | null;
  tokenProvider?: () => Promise<string | null>;
  transport?: ChatTransport;
}

/** localStorage key of the last user seen in a room of a server: whose kept outbox a page restores before it joins. */
const lastUserKey = (server: string, room: string) => `live-chat:user:${server}|${room}`;

/** localStorage, or null where the page may not use it (sandboxed frames, some private modes). */
const storage = (): Storage | null => {
  try {
    return localStorage;
  } catch {
    return null;
  }
};

/** What a developer reads when the element has nothing to connect to. */
const NO_SERVER = 'live-chat: set the server attribute to your chat server URL, e.g. <live-chat server="https://chat.example.com" room="lobby">, or set the transport property.';

/** An id for `clientId`: a UUID where the page is a secure context, 32 hex digits elsewhere. */
const uuid = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The one owner of the connection of a `<live-chat>` (a Lit reactive controller): the
 * transport's lifecycle. It reads the host's `server` / `transport`, `room`, `token` /
 * `tokenProvider` after every update, keeps a transport connected (asking for a fresh token
 * after `unauthorized`, twice at most), joins the room when connected, and hands the rest to
 * {@link RoomSync} (the joined room in the stores, server events) and {@link OutboxSender}
 * (sends wait while offline and go out once, in order, with their `clientId`). It never
 * renders and writes stores only through their actions.
 */
export class ConnectionController implements ReactiveController, ChatActions {
  #transport?: ChatTransport;
  /** What the transport was made from; null before the first update. */
  #source: ChatTransport | string | undefined | null = null;
  #token?: string | null;
  #unsubscribe: (() => void)[] = [];
  #authRetries = 0;
  /** The kept outbox of the room and user (`server|room|user`); undefined: in memory only. */
  #db?: ReturnType<typeof outboxDb>;
  #scope?: string;

  #host: ConnectionHost;
  #room: RoomSync;
  #outbox: OutboxSender;
  #typing = new TypingSender((active) => {
    const roomId = this.#room.joinedRoom;
    if (roomId) void this.#transport?.typing({ roomId }, active);
  });

  constructor(host: ConnectionHost) {
    this.#host = host;
    this.#room = new RoomSync(host);
    const self = this;
    this.#outbox = new OutboxSender({
      stores: host.stores,
      get ready() {
        return self.#status === 'online' ? self.#transport : undefined;
      },
      delivered: (message, reward) => {
        this.#room.receive([message]);
        if (reward) this.#room.reward(reward);
      },
      refused: (error) => this.#fail({ error, source: 'send' }),
      reauthorize: () => {
        if (!this.#host.tokenProvider || this.#authRetries >= 2) return false;
        this.#authRetries++;
        this.#transport?.connect(() => this.#getToken());
        return true;
      },
    });
    host.addController(this);
  }

  get #stores(): ChatStores {
    return this.#host.stores;
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#teardown();
    this.#source = null;
    this.#setStatus('idle');
  }

  /* ------------------------------------------------------------------ configuration */

  /** Follows the host's attributes: (re)creates the transport, switches rooms, new tokens. */
  #sync(): void {
    const host = this.#host;
    const source = host.transport ?? host.server ?? undefined;
    if (source !== this.#source) {
      this.#teardown();
      this.#source = source;
      if (!source) {
        const error = { code: 'invalid', message: NO_SERVER } as const;
        console.error(NO_SERVER);
        this.#setStatus('error', error);
        return this.#fail({ error, source: 'setup' });
      }
      const t = (this.#transport = typeof source === 'string' ? createSocketTransport(source) : source);
      this.#unsubscribe = [...this.#room.listen(t), t.onStatus((status, error) => this.#onStatus(t, status, error))];
      this.#setStatus('connecting');
      this.#token = host.token;
      this.#keep(storage()?.getItem(lastUserKey(host.server ?? '', host.room)) ?? null);
      this.#stores.hidden.load(host.server ?? '', host.room);
      t.connect(() => this.#getToken());
      return;
    }
    if (!this.#transport) return;
    if (host.token !== this.#token) {
      if (this.#token && !host.token) this.#signOut();
      this.#token = host.token;
      this.#transport.connect(() => this.#getToken());
    }
    const joined = this.#room.joinedRoom;
    if (joined !== undefined && host.room !== joined) {
      void this.#transport.leave({ roomId: joined });
      this.#room.reset();
      this.#keep(storage()?.getItem(lastUserKey(host.server ?? '', host.room)) ?? null);
      this.#stores.hidden.load(host.server ?? '', host.room);
      if (this.#status === 'online') void this.#join();
    }
  }

  /**
   * Keeps the outbox of the host's room for `userId` in IndexedDB (issue 10): restores what an
   * earlier page left (shown pending, sent once with its `clientId` when online) and writes
   * every later send and acknowledgement through. null: a guest, nothing kept.
   */
  #keep(userId: string | null): void {
    const { server, room } = this.#host;
    // Kept per server: an element on a custom transport without a server keeps it in memory.
    const scope = userId && server && `${server}|${room}|${userId}`;
    if (scope === this.#scope) return;
    // Another user (or a guest) now: the previous user's messages are not sent as theirs.
    if (this.#scope) this.#stores.outbox.clear();
    this.#scope = scope || undefined;
    const db = (this.#db = scope ? outboxDb(scope) : undefined);
    this.#stores.outbox.persist = db;
    if (!db) return;
    storage()?.setItem(lastUserKey(server ?? '', room), userId!);
    void db.load().then((items) => {
      if (db !== this.#db) return;
      // Stored already (the page went before the ack) and in the history held: done.
      const held = new Set(this.#stores.messages.$messages.get().map((m) => m.clientId));
      db.drop(items.filter((p) => held.has(p.clientId)).map((p) => p.clientId));
      if (this.#stores.outbox.restore(items.filter((p) => !held.has(p.clientId)))) void this.#outbox.flush();
    });
  }

  /** The token went away: the user's kept outbox and errors go with it. */
  #signOut(): void {
    void this.#db?.clear();
    storage()?.removeItem(lastUserKey(this.#host.server ?? '', this.#host.room));
    this.#db = this.#scope = this.#stores.outbox.persist = undefined;
    this.#stores.outbox.clear();
    this.#stores.ui.clearError();
  }

  #getToken(): Promise<string | null> {
    return this.#host.tokenProvider ? this.#host.tokenProvider() : Promise.resolve(this.#host.token ?? null);
  }

  #teardown(): void {
    this.#unsubscribe.forEach((off) => off());
    this.#unsubscribe = [];
    this.#transport?.disconnect();
    this.#transport = undefined;
    this.#outbox.stop();
    this.#room.reset();
  }

  /* ------------------------------------------------------------------ connection */

  get #status(): ConnectionStatus {
    return this.#stores.connection.$connection.get().status;
  }

  #setStatus(status: ConnectionStatus, error: ClientError | null = null): void {
    const previous = this.#stores.connection.setStatus(status, error);
    if (status !== previous) this.#host.dispatchEvent(new LcConnectionChangeEvent({ status, previous }));
  }

  #fail(detail: LcErrorDetail): void {
    this.#host.dispatchEvent(new LcErrorEvent(detail));
  }

  #onStatus(t: ChatTransport, status: TransportStatus, error?: ClientError): void {
    if (t !== this.#transport) return;
    if (status === 'connected') return void this.#join();
    // In flight when the link dropped: no ack will come; send again (same clientId) later.
    this.#stores.outbox.requeue();
    if (status === 'unauthorized') {
      if (this.#host.tokenProvider && this.#authRetries++ < 2) return t.connect(() => this.#getToken());
      const e = error ?? { code: 'unauthorized', message: 'unauthorized' };
      this.#setStatus('error', e);
      return this.#fail({ error: e, source: 'connect' });
    }
    const wasUp = this.#status === 'online' || this.#status === 'reconnecting';
    this.#setStatus(status === 'closed' && !wasUp ? 'idle' : wasUp ? 'reconnecting' : 'connecting', error ?? null);
  }

  /** `room:join`, or the rejoin after a reconnect with `sinceSeq`. */
  async #join(): Promise<void> {
    const t = this.#transport!;
    const roomId = this.#host.room;
    const sinceSeq = this.#room.sinceSeq(roomId);
    const ack = await t.join(sinceSeq === undefined ? { roomId } : { roomId, sinceSeq });
    if (t !== this.#transport || roomId !== this.#host.room) return;
    if (!ack.ok) {
      if (transient(ack.error)) return; // the next 'connected' joins again
      this.#setStatus('error', ack.error);
      return this.#fail({ error: ack.error, source: 'join' });
    }
    this.#room.applyJoin(roomId, sinceSeq, ack);
    this.#keep(ack.me.guest ? null : ack.me.user.id);
    this.#authRetries = 0;
    this.#setStatus('online');
    void this.#outbox.flush();
  }

  /* ------------------------------------------------------------------ actions */

  /**
   * Sends `text` (as the protocol's `checkText` normalises it) to the room, after firing the
   * cancelable `lc-send`. The message joins the outbox first (shown as pending) and goes out
   * now if online, else on reconnect. `replyTo`: the id of the message it answers (the server
   * quotes it; unknown or deleted: `not_found`).
   * @returns false when nothing was queued (no text after the protocol's `normalizeText`,
   *   longer than the server's limit, no room yet, or vetoed by `lc-send`).
   */
  send(text: string, replyTo?: string): boolean {
    const checked = checkText(text, this.#stores.room.$maxLength.get());
    const roomId = this.#room.joinedRoom;
    if (!checked.ok || !roomId) return false;
    const clientId = uuid();
    const event = new LcSendEvent({ roomId, clientId, text: checked.text });
    this.#host.dispatchEvent(event);
    if (event.defaultPrevented) return false;
    this.#stores.ui.clearError();
    this.#typing.sent();
    this.#stores.outbox.add({ clientId, roomId, text: checked.text, createdAt: Date.now(), state: 'queued', user: this.#stores.me.$me.get()?.user, ...(replyTo && { replyTo }) });
    void this.#outbox.flush();
    return true;
  }

  /**
   * The user typed (`active`: the input holds text) or emptied the input: `typing:start` /
   * `typing:stop`, throttled by {@link TypingSender}. Sent only by a user who may post, online,
   * in a small room (viewers at or under the join ack's `limits.smallRoomLimit`), where the
   * server shares it.
   */
  typing(active: boolean): void {
    const { stats, room, me } = this.#stores;
    const small = (stats.$stats.get()?.viewers ?? 0) <= room.$smallRoomLimit.get();
    if (active && !(small && me.$me.get()?.canPost && this.#status === 'online')) return;
    this.#typing.input(active);
  }

  /**
   * Toggles the user's reaction `emoji` on a message (`message:react`): the ack's counts go to
   * the message (the ❤️ count is also its `likes`), the ack's `mine` to `ui.$mine`.
   */
  async react(messageId: string, emoji: Reaction): Promise<void> {
    const t = this.#transport;
    const roomId = this.#room.joinedRoom;
    if (!t || !roomId) return;
    const ack = await t.request('message:react', { roomId, messageId, emoji });
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'like' });
    const { ui, messages } = this.#stores;
    messages.patch(messageId, { reactions: ack.reactions, likes: ack.reactions[LIKE_REACTION] ?? 0 });
    ui.setMine(messageId, ack.mine);
    ui.setLiked(messageId, ack.mine.includes(LIKE_REACTION));
  }

  /**
   * Scrollback (issue 10): loads up to 50 messages before the first one shown with the
   * transport's `history` (`GET /api/rooms/:roomId/messages?beforeSeq`) into the window the
   * reader pages back in (`messages.showOlder`, at most 200 held). One page at a time; nothing
   * once the room's first message is shown or without `history`.
   */
  async loadOlder(): Promise<void> {
    const t = this.#transport;
    const roomId = this.#room.joinedRoom;
    const { messages } = this.#stores;
    const beforeSeq = messages.firstSeq();
    if (!t?.history || !roomId || this.#loadingOlder || messages.$atStart.get() || !beforeSeq) return;
    if (beforeSeq <= 1) return messages.showOlder([]);
    this.#loadingOlder = true;
    const ack = await t.history({ roomId, beforeSeq, limit: 50 }).finally(() => (this.#loadingOlder = false));
    if (t !== this.#transport || roomId !== this.#room.joinedRoom) return;
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'join' });
    messages.showOlder(ack.messages);
  }
  #loadingOlder = false;

  /** Back to the live end after paging back. */
  follow(): void {
    this.#stores.messages.follow();
  }

  /** Toggles the user's like on a message (`message:like`), then fires `lc-like`. */
  async like(messageId: string): Promise<void> {
    const t = this.#transport;
    const roomId = this.#room.joinedRoom;
    if (!t || !roomId) return;
    const ack = await t.like({ roomId, messageId });
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'like' });
    const { ui, messages } = this.#stores;
    const liked = !ui.$liked.get().has(messageId);
    ui.setLiked(messageId, liked);
    messages.patch(messageId, { likes: ack.likes });
    this.#host.dispatchEvent(new LcLikeEvent({ roomId, messageId, likes: ack.likes, liked }));
  }

  /** Sends one heart to the room (`room:like`, session likes), counted at once, then `lc-like`. */
  async heart(): Promise<void> {
    const t = this.#transport;
    const roomId = this.#room.joinedRoom;
    if (!t || !roomId) return;
    this.#stores.stats.addLikes(1);
    const ack = await t.roomLike({ roomId, count: 1 });
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'like' });
    this.#stores.stats.raiseLikes(ack.likes);
    this.#host.dispatchEvent(new LcLikeEvent({ roomId, messageId: null, likes: ack.likes, liked: true }));
  }
  /** A client event about the joined room (the host tools), `roomId` filled in; see `ChatActions.request`. */
  request<E extends keyof ClientToServerEvents>(event: E, payload: Omit<PayloadOf<E>, 'roomId'>): Promise<TransportAck<AckOf<E>>> {
    const t = this.#transport;
    const roomId = this.#room.joinedRoom;
    if (!t || !roomId) return Promise.resolve({ ok: false, error: { code: 'offline', message: 'not connected' } });
    return t.request(event, { ...payload, roomId } as PayloadOf<E>);
  }
}
