import type { ReactiveController, ReactiveElement } from 'lit';
import { checkText, type Message, type Reward, type ServerToClientEvents } from 'live-chat-protocol';
import { LcConnectionChangeEvent } from '../events/connection-change-event.ts';
import { LcErrorEvent, type LcErrorDetail } from '../events/error-event.ts';
import { LcLevelUpEvent } from '../events/level-up-event.ts';
import { LcLikeEvent } from '../events/like-event.ts';
import { LcMessageEvent } from '../events/message-event.ts';
import { LcRewardEvent } from '../events/reward-event.ts';
import { LcSendEvent } from '../events/send-event.ts';
import type { ChatActions } from '../state/actions.ts';
import type { ChatStores } from '../state/chat-stores.ts';
import { MAX_MESSAGE_LENGTH } from '../state/composer.ts';
import type { ConnectionStatus } from '../state/connection.ts';
import type { ChatTransport, ClientError, TransportStatus } from './chat-transport.ts';
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

/** Codes after which a retry on the next connection may succeed. */
const transient = (e: ClientError) => e.code === 'offline' || e.code === 'timeout';

/**
 * Send answers after which the message may be stored already: no ack in time, or `internal`
 * (the server can fail after committing and broadcasting it). Sent again with the same
 * `clientId`, which the server answers with the original message and reward.
 */
const maybeStored = (e: ClientError) => e.code === 'timeout' || e.code === 'internal';

/** ms before the first retry of a `maybeStored` send; doubles each time, up to 30 s. */
const RETRY_MS = 1000;

/** What a developer reads when the element has nothing to connect to. */
const NO_SERVER = 'live-chat: set the server attribute to your chat server URL, e.g. <live-chat server="https://chat.example.com" room="lobby">, or set the transport property.';

/** An id for `clientId`: a UUID where the page is a secure context, 32 hex digits elsewhere. */
const uuid = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The one owner of the connection of a `<live-chat>` (a Lit reactive controller). It reads the
 * host's `server` / `transport`, `room`, `token` / `tokenProvider` after every update, keeps a
 * transport connected, and turns what the server says into store writes and DOM events. It
 * never renders.
 *
 * Implements issue 2's reconnect rules (DESIGN.md, "Wire contract"): rejoin with `sinceSeq` =
 * the last seq held, drop duplicates by `id`, reload history on `gap`; and the outbox: sends
 * wait while offline and go out once, in order, with their `clientId`, when back online; a
 * send whose ack timed out or was `internal` stays pending and goes again with the same
 * `clientId` after 1, 2, 4… s (at most 30 s), never handing its text back (it may be stored).
 */
export class ConnectionController implements ReactiveController, ChatActions {
  #transport?: ChatTransport;
  /** What the transport was made from; null before the first update. */
  #source: ChatTransport | string | undefined | null = null;
  #joinedRoom?: string;
  #token?: string | null;
  #unsubscribe: (() => void)[] = [];
  #flushing = false;
  /** Set when a flush is asked for while one runs: the running one drains the outbox again. */
  #flushAgain = false;
  #retryTimer?: ReturnType<typeof setTimeout>;
  /** Timed-out sends in a row (the backoff's exponent). */
  #retries = 0;
  #authRetries = 0;

  #host: ConnectionHost;

  constructor(host: ConnectionHost) {
    this.#host = host;
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
      this.#listen(t);
      this.#setStatus('connecting');
      this.#token = host.token;
      t.connect(() => this.#getToken());
      return;
    }
    if (!this.#transport) return;
    if (host.token !== this.#token) {
      this.#token = host.token;
      this.#transport.connect(() => this.#getToken());
    }
    if (this.#joinedRoom !== undefined && host.room !== this.#joinedRoom) {
      void this.#transport.leave({ roomId: this.#joinedRoom });
      this.#resetRoom();
      if (this.#status === 'online') void this.#join();
    }
  }

  #getToken(): Promise<string | null> {
    return this.#host.tokenProvider ? this.#host.tokenProvider() : Promise.resolve(this.#host.token ?? null);
  }

  #teardown(): void {
    this.#unsubscribe.forEach((off) => off());
    this.#unsubscribe = [];
    this.#transport?.disconnect();
    this.#transport = undefined;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#resetRoom();
  }

  #resetRoom(): void {
    const s = this.#stores;
    this.#joinedRoom = undefined;
    s.messages.reset();
    s.outbox.$outbox.set([]);
    s.room.$room.set(null);
    s.room.$session.set(null);
    s.leaderboard.$leaderboard.set([]);
    s.stats.$stats.set(null);
  }

  /* ------------------------------------------------------------------ connection */

  get #status(): ConnectionStatus {
    return this.#stores.connection.$connection.get().status;
  }

  #setStatus(status: ConnectionStatus, error: ClientError | null = null): void {
    const previous = this.#status;
    this.#stores.connection.$connection.set({ status, error });
    if (status !== previous) this.#host.dispatchEvent(new LcConnectionChangeEvent({ status, previous }));
  }

  #fail(detail: LcErrorDetail): void {
    this.#host.dispatchEvent(new LcErrorEvent(detail));
  }

  #onStatus(t: ChatTransport, status: TransportStatus, error?: ClientError): void {
    if (t !== this.#transport) return;
    if (status === 'connected') return void this.#join();
    // In flight when the link dropped: no ack will come; send again (same clientId) later.
    for (const p of this.#stores.outbox.$outbox.get()) if (p.state === 'sending') this.#stores.outbox.mark(p.clientId, 'queued');
    if (status === 'unauthorized') {
      if (this.#host.tokenProvider && this.#authRetries++ < 2) return t.connect(() => this.#getToken());
      this.#setStatus('error', error ?? { code: 'unauthorized', message: 'unauthorized' });
      return this.#fail({ error: this.#stores.connection.$connection.get().error!, source: 'connect' });
    }
    const wasUp = this.#status === 'online' || this.#status === 'reconnecting';
    this.#setStatus(status === 'closed' && !wasUp ? 'idle' : wasUp ? 'reconnecting' : 'connecting', error ?? null);
  }

  #listen(t: ChatTransport): void {
    const s = this.#stores;
    const here = (roomId: string) => roomId === this.#joinedRoom;
    const handlers: { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } = {
      'message:new': (m) => here(m.roomId) && this.#receive([m]),
      'message:deleted': (p) => here(p.roomId) && s.messages.patch(p.messageId, { deleted: true, text: '' }),
      'message:likes': (p) => here(p.roomId) && s.messages.patch(p.messageId, { likes: p.likes }),
      'room:stats': (p) => here(p.roomId) && s.stats.$stats.set(p),
      'room:updated': (r) => here(r.id) && s.room.$room.set(r),
      'leaderboard:update': (p) => here(p.roomId) && s.leaderboard.$leaderboard.set(p.entries),
      reward: (r) => this.#reward(r),
    };
    for (const [event, handler] of Object.entries(handlers)) {
      this.#unsubscribe.push(t.on(event as keyof ServerToClientEvents, handler as never));
    }
    this.#unsubscribe.push(t.onStatus((status, error) => this.#onStatus(t, status, error)));
  }

  /** `room:join`, or the rejoin after a reconnect with `sinceSeq`. */
  async #join(): Promise<void> {
    const t = this.#transport!;
    const s = this.#stores;
    const roomId = this.#host.room;
    const sinceSeq = this.#joinedRoom === roomId ? s.messages.lastSeq() : undefined;
    const ack = await t.join(sinceSeq === undefined ? { roomId } : { roomId, sinceSeq });
    if (t !== this.#transport || roomId !== this.#host.room) return;
    if (!ack.ok) {
      if (transient(ack.error)) return; // the next 'connected' joins again
      this.#setStatus('error', ack.error);
      return this.#fail({ error: ack.error, source: 'join' });
    }
    s.room.$room.set(ack.room);
    s.room.$session.set(ack.session);
    s.me.$me.set(ack.me);
    s.room.$maxLength.set(ack.limits?.maxMessageLength ?? MAX_MESSAGE_LENGTH);
    s.leaderboard.$leaderboard.set(ack.leaderboard);
    s.stats.$stats.set(ack.stats);
    if (sinceSeq === undefined || ack.gap) s.messages.reset(ack.messages);
    else s.messages.merge(ack.messages);
    this.#dropEchoes(ack.messages);
    this.#joinedRoom = roomId;
    this.#authRetries = 0;
    this.#setStatus('online');
    void this.#flush();
  }

  /** New messages from the server: merged (deduplicated by id), announced once. */
  #receive(list: Message[]): void {
    this.#dropEchoes(list);
    const me = this.#stores.me.$me.get()?.user.id;
    for (const message of this.#stores.messages.merge(list)) {
      this.#host.dispatchEvent(new LcMessageEvent({ message, own: message.user.id === me }));
    }
  }

  /** Our own messages seen in a broadcast or a replay leave the outbox. */
  #dropEchoes(list: Message[]): void {
    const mine = this.#stores.me.$me.get()?.user.id;
    this.#stores.outbox.remove(...list.filter((m) => m.user.id === mine).map((m) => m.clientId));
  }

  #reward(r: Reward): void {
    if (!this.#stores.me.applyReward(r)) return;
    this.#host.dispatchEvent(new LcRewardEvent(r));
    // A late reward (another tab) can carry a level-up already passed: announce the level shown.
    if (r.leveledUp && this.#stores.me.$me.get()?.progress?.level === r.level) {
      this.#host.dispatchEvent(new LcLevelUpEvent({ level: r.level, reward: r }));
      this.#stores.ui.$toast.set({ id: Date.now(), text: this.#stores.$locale.get().t.levelUp(r.level) });
    }
  }

  /* ------------------------------------------------------------------ actions */

  /**
   * Sends `text` (as the protocol's `checkText` normalises it) to the room, after firing the cancelable `lc-send`. The message
   * joins the outbox first (shown as pending) and goes out now if online, else on reconnect.
   * @returns false when nothing was queued (no text after the protocol's `normalizeText`,
   *   longer than the server's limit, no room yet, or vetoed by `lc-send`).
   */
  send(text: string): boolean {
    const checked = checkText(text, this.#stores.room.$maxLength.get());
    const roomId = this.#joinedRoom;
    if (!checked.ok || !roomId) return false;
    const clientId = uuid();
    const event = new LcSendEvent({ roomId, clientId, text: checked.text });
    this.#host.dispatchEvent(event);
    if (event.defaultPrevented) return false;
    this.#stores.ui.$composerError.set(null);
    this.#stores.outbox.add({ clientId, roomId, text: checked.text, createdAt: Date.now(), state: 'queued' });
    void this.#flush();
    return true;
  }

  /**
   * Sends queued messages one at a time, in order, while online. Asked for while running (a
   * new send, a rejoin), it makes the running flush go round once more before it stops.
   */
  async #flush(): Promise<void> {
    if (this.#flushing) return void (this.#flushAgain = true);
    this.#flushing = true;
    try {
      do {
        this.#flushAgain = false;
        await this.#drain();
      } while (this.#flushAgain);
    } finally {
      this.#flushing = false;
    }
  }

  async #drain(): Promise<void> {
    const { outbox, ui } = this.#stores;
    for (;;) {
      const t = this.#transport;
      const next = outbox.$outbox.get().find((p) => p.state === 'queued');
      if (!t || !next || this.#status !== 'online') return;
      outbox.mark(next.clientId, 'sending');
      const ack = await t.send({ roomId: next.roomId, clientId: next.clientId, text: next.text });
      if (ack.ok) {
        this.#retries = 0;
        outbox.remove(next.clientId);
        this.#receive([ack.message]);
        if (ack.reward) this.#reward(ack.reward);
        continue;
      }
      const reauth = ack.error.code === 'unauthorized' && this.#host.tokenProvider && this.#authRetries < 2;
      if (transient(ack.error) || maybeStored(ack.error) || reauth) {
        // Still pending (unless its broadcast came first and settled it): never given back.
        outbox.mark(next.clientId, 'queued');
        if (maybeStored(ack.error)) {
          // Online but unanswered or failed: try again later, same clientId (the server dedupes).
          this.#retryTimer ??= setTimeout(() => {
            this.#retryTimer = undefined;
            void this.#flush();
          }, Math.min(30_000, RETRY_MS * 2 ** this.#retries++));
        } else if (reauth) {
          this.#authRetries++;
          t.connect(() => this.#getToken());
        }
        return;
      }
      outbox.remove(next.clientId);
      const { retryAfterMs } = ack.error;
      ui.$composerError.set({ error: ack.error, ...(retryAfterMs && { until: Date.now() + retryAfterMs }) });
      if (!ui.$draft.get()) ui.$draft.set(next.text);
      this.#fail({ error: ack.error, source: 'send' });
    }
  }

  /** Toggles the user's like on a message (`message:like`), then fires `lc-like`. */
  async like(messageId: string): Promise<void> {
    const t = this.#transport;
    const roomId = this.#joinedRoom;
    if (!t || !roomId) return;
    const ack = await t.like({ roomId, messageId });
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'like' });
    const liked = new Set(this.#stores.ui.$liked.get());
    const now = !liked.delete(messageId);
    if (now) liked.add(messageId);
    this.#stores.ui.$liked.set(liked);
    this.#stores.messages.patch(messageId, { likes: ack.likes });
    this.#host.dispatchEvent(new LcLikeEvent({ roomId, messageId, likes: ack.likes, liked: now }));
  }

  /** Sends one heart to the room (`room:like`, session likes), counted at once, then `lc-like`. */
  async heart(): Promise<void> {
    const t = this.#transport;
    const roomId = this.#joinedRoom;
    if (!t || !roomId) return;
    this.#stores.stats.addLikes(1);
    const ack = await t.roomLike({ roomId, count: 1 });
    if (!ack.ok) return this.#fail({ error: ack.error, source: 'like' });
    const stats = this.#stores.stats.$stats.get();
    if (stats && ack.likes > stats.likes) this.#stores.stats.$stats.set({ ...stats, likes: ack.likes });
    this.#host.dispatchEvent(new LcLikeEvent({ roomId, messageId: null, likes: ack.likes, liked: true }));
  }
}
