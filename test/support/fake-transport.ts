import {
  checkText,
  chatWindowState,
  DEFAULT_LIMITS,
  levelForXp,
  levelInfo,
  planJoin,
  quoteText,
  REACTIONS,
  LIKE_REACTION,
  type JoinAck,
  type Reaction,
  type ClientToServerEvents,
  type LeaderboardEntry,
  type Me,
  type Message,
  type Reward,
  type Room,
  type RoomStats,
  type SendAck,
  type ServerToClientEvents,
  type Session,
  type UserRef,
} from 'live-chat-protocol';
import type { AckOf, ChatTransport, ClientError, PayloadOf, TransportAck, TransportStatus } from '../../widget/transport/chat-transport.ts';
import { FakeEconomy } from './fake-economy.ts';

/** The server's numbers (`DEFAULT_LIMITS`, the same names as its configuration). */
export type FakeLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** What a {@link FakeTransport} starts with. Everything is optional. */
export interface FakeTransportOptions {
  room?: Partial<Room>;
  session?: Session | null;
  /** History, oldest first; `seq` values are kept. */
  messages?: Message[];
  me?: Me;
  /** The session's scores, best first (ranked again by the protocol's `rankScores`). */
  leaderboard?: LeaderboardEntry[];
  stats?: Partial<RoomStats>;
  /** Whether the "network" is up. Default true. */
  online?: boolean;
  /** ms before each ack and pushed event; 0 (default) answers in the next task. */
  latencyMs?: number;
  /** Refuses tokens this returns false for (`unauthorized`). Default: accept all. */
  acceptToken?: (token: string | null) => boolean;
  /**
   * The server's rules, each defaulting to `DEFAULT_LIMITS`: `maxMessageLength` (sent in the
   * join ack), `messagesPerMinute`, `historyLimit`, `replayWindow`, the award numbers,
   * `leaderboardSize`.
   */
  limits?: Partial<FakeLimits>;
  /** ms since epoch; inject to move time without waiting. Default `Date.now`. */
  now?: () => number;
}

/** One recorded call from the widget. */
export interface FakeCall {
  method: 'connect' | 'disconnect' | 'join' | 'leave' | 'send' | 'like' | 'roomLike' | 'typing' | 'deleteMessage' | 'timeoutUser' | 'updateRoom' | 'request' | 'react' | 'history';
  payload?: any;
}

/**
 * How {@link FakeTransport.failNext} fails a call: before doing anything (default), or after
 * doing it, as a server that fails after its commit does: `commit` (stored, nothing
 * broadcast) or `broadcast` (stored and broadcast, then the error).
 */
export interface FailOptions {
  after?: 'commit' | 'broadcast';
}

type Listener = (...args: any[]) => void;

export const FAKE_ME: Me = {
  user: { id: 'me', name: 'You', avatarUrl: null, badges: [] },
  guest: false,
  canPost: true,
  // 40 XP is level 2 (25..75) on the protocol's curve.
  progress: { userId: 'me', totalXp: 40, ...levelInfo(40), dailyXp: 2, dailyXpCap: DEFAULT_LIMITS.dailyXpCap, coinBalance: 3 },
};

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const isStaff = (u: UserRef) => u.badges.includes('host') || u.badges.includes('moderator');

/**
 * A chat server in memory, behind the {@link ChatTransport} interface: for Storybook stories
 * and widget tests, with no network. Its rules are the protocol's own functions, so it
 * cannot drift from the server: `checkText` (1..`maxMessageLength` characters after
 * normalisation), `chatWindowState` (`chat_closed`), `planJoin` (`sinceSeq` replay, `gap`),
 * `decideAward` + `utcDay` (XP with a daily cap, coins with a cooldown), the level curve, and
 * `rankScores` cut to `leaderboardSize`; plus the server's sliding-minute rate limit
 * (`messagesPerMinute`, `rate_limited` with `retryAfterMs`), slow mode for non-staff,
 * idempotent `clientId`, per-room `seq`, guests who cannot post. A test drives the rest:
 *
 * ```ts
 * const fake = new FakeTransport(busyRoom());
 * el.transport = fake;
 * fake.post(users.anna, 'Hello!');            // someone else writes
 * fake.setOnline(false); fake.setOnline(true); // a network blip
 * fake.failNext('send', { code: 'internal', message: '' }, { after: 'broadcast' });
 * fake.calls.filter((c) => c.method === 'send');
 * ```
 *
 * Not part of the widget: it lives with the tests (test/support).
 */
export class FakeTransport implements ChatTransport {
  room: Room;
  session: Session | null;
  /** Every message of the room, oldest first (the server's view, not the widget's). */
  messages: Message[];
  me: Me;
  stats: RoomStats;
  /** The rules in force (`DEFAULT_LIMITS` with the options' `limits`). */
  readonly limits: FakeLimits;
  /** Every call the widget made, in order. */
  readonly calls: FakeCall[] = [];
  /** Tokens seen on connection attempts, in order. */
  readonly tokens: (string | null)[] = [];
  online: boolean;
  /** Whether the widget is connected (online and `connect` called and token accepted). */
  connected = false;

  readonly #opts: FakeTransportOptions;
  readonly #economy: FakeEconomy;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #statusListeners = new Set<(s: TransportStatus, e?: ClientError) => void>();
  readonly #failures = new Map<string, { error: ClientError; after?: FailOptions['after'] }[]>();
  readonly #holds = new Map<string, Promise<ClientError | undefined>[]>();
  /** Answers by `clientId`, for a send that comes again. */
  readonly #sent = new Map<string, SendAck>();
  readonly #likedByMe = new Set<string>();
  /** Sliding windows of the rate limits: times (ms) of the accepted sends, per key. */
  readonly #hits = new Map<string, number[]>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #getToken?: () => Promise<string | null>;
  /** While true, nothing is broadcast (a server failing between its commit and its broadcast). */
  #muted = false;
  #boardPending = false;

  constructor(opts: FakeTransportOptions = {}) {
    this.#opts = opts;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.room = {
      id: 'lobby',
      title: 'Lobby',
      private: false,
      opensAt: null,
      closesAt: null,
      slowModeSeconds: 0,
      createdAt: new Date(0).toISOString(),
      pinned: null,
      ...opts.room,
    };
    this.session = opts.session === undefined
      ? { id: 'session-1', roomId: this.room.id, startedAt: new Date(0).toISOString(), endedAt: null }
      : opts.session;
    this.messages = (opts.messages ?? []).map((m) => ({ ...m, roomId: this.room.id }));
    this.me = structuredClone(opts.me ?? FAKE_ME);
    this.stats = { roomId: this.room.id, viewers: 1, likes: 0, ...opts.stats };
    this.online = opts.online ?? true;

    this.#economy = new FakeEconomy(this.limits);
    this.#economy.setScores(opts.leaderboard ?? []);
    const p = this.me.progress;
    if (p) {
      p.dailyXpCap = this.limits.dailyXpCap;
      const coinAt = p.nextCoinAt ? Date.parse(p.nextCoinAt) - this.limits.coinCooldownSeconds * 1000 : null;
      this.#economy.seed(this.me.user.id, this.#now(), p.dailyXp, coinAt);
    }
  }

  /** The session leaderboard as the server sends it (top `leaderboardSize`, ranked). */
  get leaderboard(): LeaderboardEntry[] {
    return this.#economy.board();
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  /** Runs `fn` after the configured latency (always asynchronously, like a network). */
  #later(fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, this.#opts.latencyMs ?? 0);
    this.#timers.add(timer);
  }

  #answer<T extends object>(method: FakeCall['method'], payload: unknown, fn: () => TransportAck<T>): Promise<TransportAck<T>> {
    this.calls.push({ method, payload: structuredClone(payload) });
    return new Promise((resolve) => {
      if (!this.connected) return resolve({ ok: false, error: { code: 'offline', message: 'not connected' } });
      const held = this.#holds.get(method)?.shift();
      if (held) return void held.then((error) => resolve(error ? { ok: false, error } : fn()));
      const failure = this.#failures.get(method)?.shift();
      this.#later(() => {
        if (!failure) return resolve(fn());
        if (!failure.after) return resolve({ ok: false, error: failure.error });
        this.#muted = failure.after === 'commit';
        const done = fn();
        this.#muted = false;
        if (!done.ok) return resolve(done);
        // After what the call broadcast (pushed with the same latency, so first).
        this.#later(() => resolve({ ok: false, error: failure.error }));
      });
    });
  }

  #report(status: TransportStatus, error?: ClientError): void {
    this.#statusListeners.forEach((l) => l(status, error));
  }

  /* ---------------------------------------------------------------- driving the fake */

  /** Pushes a server event to the widget (after the latency), as the server would. */
  push<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!this.connected || this.#muted) return;
    this.#later(() => this.#listeners.get(event)?.forEach((l) => l(...args)));
  }

  /**
   * Makes the next call of `method` answer this error (queue several by calling again);
   * `options.after` carries the call out first (see {@link FailOptions}).
   */
  failNext(method: FakeCall['method'], error: ClientError, options: FailOptions = {}): void {
    const list = this.#failures.get(method) ?? [];
    list.push({ error, after: options.after });
    this.#failures.set(method, list);
  }

  /**
   * Makes the next call of `method` wait for its ack (an ack lost on a dropped link) until
   * the returned function is called: with an error, the call answers it; without, as usual.
   */
  holdNext(method: FakeCall['method']): (error?: ClientError) => void {
    let release!: (error?: ClientError) => void;
    const list = this.#holds.get(method) ?? [];
    list.push(new Promise((r) => (release = r)));
    this.#holds.set(method, list);
    return release;
  }

  /**
   * Simulates the network going down (`disconnected`) or coming back (`connected`, after
   * which the widget rejoins with `sinceSeq`). Messages posted meanwhile are replayed then.
   */
  setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    if (!online && this.connected) {
      this.connected = false;
      this.#report('disconnected', { code: 'offline', message: 'network down' });
    } else if (online && this.#getToken) {
      void this.#attempt();
    }
  }

  /**
   * A message from someone else, as the server accepted it (no rate limit): the text
   * normalised, stored with the next `seq`, its award decided, counted on the leaderboard, and
   * broadcast. `extra` overrides fields of the stored message (e.g. a story's `reward`).
   * @throws when `text` breaks the text rule (a mistake in the test or story).
   */
  post(user: UserRef, text: string, extra: Partial<Message> = {}): Message {
    const checked = checkText(text, this.limits.maxMessageLength);
    if (!checked.ok) throw new Error(`FakeTransport.post: the server would refuse this text (${checked.code})`);
    const { xp, coins } = this.#economy.award(user.id, this.#now());
    const message = this.#store({ user, text: checked.text, reward: xp || coins ? { xp, coins } : null, ...extra });
    this.#economy.count(user, message.reward?.coins ?? 0, message.seq);
    this.push('message:new', message);
    this.#pushBoard();
    return message;
  }

  /** Replaces the session's scores (ranked by the protocol's rule) and broadcasts the board. */
  setLeaderboard(entries: Omit<LeaderboardEntry, 'rank'>[]): void {
    this.#economy.setScores(entries);
    this.#pushBoard();
  }

  /** Changes occupancy / likes and broadcasts `room:stats`. */
  setStats(change: Partial<Omit<RoomStats, 'roomId'>>): void {
    this.stats = { ...this.stats, ...change };
    this.push('room:stats', { ...this.stats });
  }

  /** Changes the room (title, window, slow mode) and broadcasts `room:updated`. */
  setRoom(change: Partial<Room>): void {
    this.room = { ...this.room, ...change };
    this.push('room:updated', { ...this.room });
  }

  /**
   * Chatter from `users` in turn every `intervalMs` (for stories of a busy, live room).
   * @returns a function that stops it.
   */
  simulate(users: UserRef[], lines: string[], intervalMs = 1500): () => void {
    let i = 0;
    const timer = setInterval(() => {
      this.post(users[i % users.length]!, lines[i % lines.length]!);
      i++;
    }, intervalMs);
    return () => clearInterval(timer);
  }

  /** True while something is on its way to the widget (an ack or event waiting for its latency). */
  get busy(): boolean {
    return this.#timers.size > 0;
  }

  /** Stops pending timers; call when a story or test is done. */
  dispose(): void {
    this.#timers.forEach(clearTimeout);
    this.#timers.clear();
  }

  /* ---------------------------------------------------------------- ChatTransport */

  connect(getToken: () => Promise<string | null>): void {
    this.calls.push({ method: 'connect' });
    this.#getToken = getToken;
    this.connected = false;
    if (this.online) void this.#attempt();
  }

  async #attempt(): Promise<void> {
    const token = await this.#getToken!();
    this.tokens.push(token);
    if (!this.online || this.connected) return;
    if (this.#opts.acceptToken && !this.#opts.acceptToken(token)) {
      this.#later(() => this.#report('unauthorized', { code: 'unauthorized', message: 'unauthorized' }));
      return;
    }
    this.#later(() => {
      if (!this.online || this.connected) return;
      this.connected = true;
      this.#report('connected');
    });
  }

  disconnect(): void {
    this.calls.push({ method: 'disconnect' });
    this.#getToken = undefined;
    if (this.connected) {
      this.connected = false;
      this.#report('closed');
    }
  }

  join(p: { roomId: string; sinceSeq?: number }): Promise<TransportAck<JoinAck>> {
    return this.#answer<JoinAck>('join', p, () => {
      if (p.roomId !== this.room.id) return { ok: false, error: { code: 'not_found', message: 'no such room' } };
      const plan = planJoin(this.messages.at(-1)?.seq ?? 0, p.sinceSeq, this.limits.replayWindow);
      const messages = plan.kind === 'history'
        ? this.messages.slice(-this.limits.historyLimit)
        : plan.kind === 'replay' ? this.messages.filter((m) => m.seq > p.sinceSeq!) : [];
      return {
        ok: true,
        room: { ...this.room },
        session: this.session && { ...this.session },
        messages: structuredClone(messages),
        me: structuredClone(this.me),
        leaderboard: this.leaderboard,
        stats: { ...this.stats },
        gap: plan.gap,
        limits: { maxMessageLength: this.limits.maxMessageLength, smallRoomLimit: this.limits.smallRoomLimit },
      };
    });
  }

  leave(p: { roomId: string }): Promise<TransportAck> {
    return this.#answer('leave', p, () => ({ ok: true }));
  }

  /** `message:send` in the server's order of checks (services/chat.ts). */
  send(p: { roomId: string; clientId: string; text: string; replyTo?: string }): Promise<TransportAck<SendAck>> {
    return this.#answer<SendAck>('send', p, () => {
      const refuse = (code: ClientError['code'], retryAfterMs?: number) =>
        ({ ok: false as const, error: { code, message: code, ...(retryAfterMs !== undefined && { retryAfterMs }) } });
      if (!this.me.canPost) return refuse('unauthorized');
      const restricted = this.#refusal();
      if (restricted) return { ok: false as const, error: restricted };
      const checked = checkText(p.text, this.limits.maxMessageLength);
      if (!checked.ok) return refuse(checked.code);
      const seen = this.#sent.get(p.clientId);
      if (seen) return { ok: true, ...structuredClone(seen) };
      const now = this.#now();
      const window = chatWindowState({ opensAt: ms(this.room.opensAt), closesAt: ms(this.room.closesAt) }, now);
      if (!window.open) return refuse('chat_closed', 'opensInMs' in window ? window.opensInMs : undefined);
      const slow = this.room.slowModeSeconds > 0 && !isStaff(this.me.user);
      const refused = this.#takeRate([
        ...(slow ? [{ key: 'slow', limit: 1, windowMs: this.room.slowModeSeconds * 1000, code: 'slow_mode' as const }] : []),
        { key: 'minute', limit: this.limits.messagesPerMinute, windowMs: 60_000, code: 'rate_limited' as const },
      ], now);
      if (refused) return refuse(refused.code, refused.retryAfterMs);

      let replyTo: Message['replyTo'];
      if (p.replyTo) {
        const original = this.messages.find((m) => m.id === p.replyTo && !m.deleted);
        if (!original) return refuse('not_found');
        replyTo = { id: original.id, seq: original.seq, userId: original.user.id, name: original.user.name, text: quoteText(original.text) };
      }
      const ack = this.#commit(checked.text, p.clientId, now, replyTo ? { replyTo } : {});
      this.#sent.set(p.clientId, ack);
      return { ok: true, ...structuredClone(ack) };
    });
  }

  like(p: { roomId: string; messageId: string }): Promise<TransportAck<{ likes: number }>> {
    return this.#answer<{ likes: number }>('like', p, () => {
      const restricted = this.#refusal();
      if (restricted) return { ok: false, error: restricted };
      const m = this.messages.find((x) => x.id === p.messageId);
      if (!m) return { ok: false, error: { code: 'not_found', message: 'no such message' } };
      const liked = !this.#likedByMe.delete(m.id);
      if (liked) this.#likedByMe.add(m.id);
      m.likes += liked ? 1 : -1;
      this.push('message:likes', { roomId: this.room.id, messageId: m.id, likes: m.likes });
      return { ok: true, likes: m.likes };
    });
  }

  roomLike(p: { roomId: string; count?: number }): Promise<TransportAck<{ likes: number }>> {
    return this.#answer<{ likes: number }>('roomLike', p, () => {
      const restricted = this.#refusal();
      if (restricted) return { ok: false, error: restricted };
      this.stats.likes += p.count ?? 1;
      this.push('room:stats', { ...this.stats });
      return { ok: true, likes: this.stats.likes };
    });
  }

  typing(p: { roomId: string }, active: boolean): Promise<TransportAck> {
    return this.#answer('typing', { ...p, active }, () => ({ ok: true }));
  }

  deleteMessage(p: { roomId: string; messageId: string }): Promise<TransportAck> {
    return this.#answer('deleteMessage', p, () => {
      const m = this.messages.find((x) => x.id === p.messageId);
      if (m) {
        m.deleted = true;
        m.text = '';
      }
      this.push('message:deleted', { roomId: this.room.id, messageId: p.messageId });
      if (this.room.pinned?.id === p.messageId) this.setRoom({ pinned: null });
      return { ok: true };
    });
  }

  timeoutUser(p: { roomId: string; userId: string; seconds: number }): Promise<TransportAck> {
    return this.#answer('timeoutUser', p, () => ({ ok: true }));
  }

  updateRoom(p: Partial<Room> & { roomId: string }): Promise<TransportAck<{ room: Room }>> {
    return this.#answer<{ room: Room }>('updateRoom', p, () => {
      const { roomId: _, ...change } = p;
      this.setRoom(change);
      return { ok: true, room: { ...this.room } };
    });
  }

  /**
   * The host tools' events, as the server answers them for the user `me`: staff only
   * (`forbidden` otherwise). `mod:delete`, `mod:timeout` (a timeout of `me` becomes its
   * restriction, with a `moderation:notice`), `mod:ban` / `mod:unban` (the same for bans;
   * others' bans are kept in {@link bans}), `room:pin` (`not_found` for an unknown or deleted
   * message; `room:updated` follows), `room:update`, `session:start` / `session:end`
   * (`session:updated`, and an empty board for a new session). Recorded as `request` calls
   * with the payload `{ event, …payload }`; `message:send` goes to {@link send}.
   */
  request<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>): Promise<TransportAck<AckOf<E>>> {
    // A raw send (a test going past the composer) is a send.
    if (event === 'message:send') return this.send(payload as PayloadOf<'message:send'>) as Promise<TransportAck<AckOf<E>>>;
    if (event === 'message:react') return this.#answer('react', payload, () => this.#react(payload as PayloadOf<'message:react'>)) as Promise<TransportAck<AckOf<E>>>;
    return this.#answer('request', { event, ...payload }, () => this.#moderate(event, payload) as TransportAck<AckOf<E>>);
  }

  /** `GET /api/rooms/:roomId/messages?beforeSeq&limit`: the `limit` (default 50) messages before `beforeSeq`, oldest first. */
  history(p: { roomId: string; beforeSeq: number; limit?: number }): Promise<TransportAck<{ messages: Message[] }>> {
    return this.#answer<{ messages: Message[] }>('history', p, () => {
      if (p.roomId !== this.room.id) return { ok: false, error: { code: 'not_found', message: 'no such room' } };
      return { ok: true, messages: structuredClone(this.messages.filter((m) => m.seq < p.beforeSeq).slice(-(p.limit ?? 50))) };
    });
  }

  /** My reactions per message id (`message:react` toggles them). */
  readonly #reactedByMe = new Map<string, Set<Reaction>>();

  /** `message:react`: toggles my reaction; the counts (❤️ is also `likes`) broadcast as `message:reactions`. */
  #react(p: PayloadOf<'message:react'>): TransportAck<AckOf<'message:react'>> {
    const restricted = this.#refusal();
    if (restricted) return { ok: false, error: restricted };
    const m = this.messages.find((x) => x.id === p.messageId && !x.deleted);
    if (!m) return { ok: false, error: { code: 'not_found', message: 'no such message' } };
    const mine = this.#reactedByMe.get(m.id) ?? new Set<Reaction>();
    this.#reactedByMe.set(m.id, mine);
    const on = !mine.delete(p.emoji);
    if (on) mine.add(p.emoji);
    const counts = { ...m.reactions, [p.emoji]: (m.reactions?.[p.emoji] ?? 0) + (on ? 1 : -1) };
    if (!counts[p.emoji]) delete counts[p.emoji];
    m.reactions = counts;
    m.likes = counts[LIKE_REACTION] ?? 0;
    this.push('message:reactions', { roomId: this.room.id, messageId: m.id, reactions: { ...counts } });
    return { ok: true, reactions: { ...counts }, mine: REACTIONS.filter((r) => mine.has(r)) };
  }

  /** Users banned from the room by `mod:ban` (other than `me`, whose ban is `me.restriction`). */
  readonly bans = new Map<string, string | null>();
  /** `me`'s last timeout, which a ban hides and its unban shows again while it runs. */
  #timeout: { kind: 'timeout'; until: string | null; reason: string | null } | null = null;

  #moderate(event: keyof ClientToServerEvents, p: any): TransportAck<{ room?: Room; session?: Session | null }> {
    if (!isStaff(this.me.user)) return { ok: false, error: { code: 'forbidden', message: 'Only hosts and moderators can moderate' } };
    const now = this.#now();
    switch (event) {
      case 'mod:delete': {
        const m = this.messages.find((x) => x.id === p.messageId);
        if (!m) return { ok: false, error: { code: 'not_found', message: 'no such message' } };
        Object.assign(m, { deleted: true, text: '' });
        this.push('message:deleted', { roomId: this.room.id, messageId: m.id });
        if (this.room.pinned?.id === m.id) this.setRoom({ pinned: null });
        return { ok: true };
      }
      case 'mod:timeout':
        this.restrict(p.userId, { kind: 'timeout', until: new Date(now + p.seconds * 1000).toISOString(), reason: p.reason ?? null });
        return { ok: true };
      case 'mod:ban':
        this.restrict(p.userId, { kind: 'ban', until: null, reason: p.reason ?? null });
        return { ok: true };
      case 'mod:unban':
        this.restrict(p.userId, { kind: 'unban', until: null, reason: null });
        return { ok: true };
      case 'room:pin': {
        const m = p.messageId === null ? null : this.messages.find((x) => x.id === p.messageId && !x.deleted);
        if (m === undefined) return { ok: false, error: { code: 'not_found', message: 'no such message' } };
        this.setRoom({ pinned: m && structuredClone(m) });
        return { ok: true, room: { ...this.room } };
      }
      case 'room:update': {
        const { roomId: _, ...change } = p;
        this.setRoom(change);
        return { ok: true, room: { ...this.room } };
      }
      case 'session:start':
        if (!this.session || this.session.endedAt) this.setSession({ id: `session-${now}`, roomId: this.room.id, startedAt: new Date(now).toISOString(), endedAt: null });
        return { ok: true, session: { ...this.session! } };
      case 'session:end':
        if (this.session && !this.session.endedAt) this.setSession({ ...this.session, endedAt: new Date(now).toISOString() });
        return { ok: true, session: this.session && { ...this.session } };
      default:
        return { ok: false, error: { code: 'invalid', message: `the fake does not answer ${event}` } };
    }
  }

  /**
   * A moderator's decision about `userId` (as `mod:timeout` / `mod:ban` / `mod:unban` make
   * it): for `me` it becomes `me.restriction` and a `moderation:notice` is pushed to the
   * widget; for others, bans are recorded in {@link bans}.
   */
  restrict(userId: string, notice: { kind: 'timeout' | 'ban' | 'unban'; until: string | null; reason: string | null }): void {
    if (notice.kind === 'ban') this.bans.set(userId, notice.reason);
    if (notice.kind === 'unban') this.bans.delete(userId);
    if (userId !== this.me.user.id) return;
    // The server keeps a timeout and a ban apart: an unban leaves a running timeout in force.
    if (notice.kind === 'timeout') this.#timeout = { kind: 'timeout', until: notice.until, reason: notice.reason };
    const running = this.#timeout && Date.parse(this.#timeout.until!) > this.#now() ? this.#timeout : null;
    this.me.restriction = notice.kind === 'unban' ? running : notice.kind === 'timeout' && this.me.restriction?.kind === 'ban' ? this.me.restriction : { kind: notice.kind, until: notice.until, reason: notice.reason };
    this.push('moderation:notice', { roomId: this.room.id, ...notice });
  }

  /** Starts or ends the session as `session:start` / `session:end` do: `session:updated`, and an empty board for a new one. */
  setSession(session: Session | null): void {
    const fresh = session && session.id !== this.session?.id;
    this.session = session;
    if (fresh) this.#economy.setScores([]);
    this.push('session:updated', { roomId: this.room.id, session: session && { ...session } });
    if (fresh) this.#pushBoard();
  }

  /** The refusal of a restricted `me` (the server's order: ban first, then a running timeout). */
  #refusal(): ClientError | null {
    const r = this.me.restriction;
    if (r?.kind === 'ban') return { code: 'banned', message: r.reason ?? 'You are banned from this room' };
    const left = r?.until ? Date.parse(r.until) - this.#now() : 0;
    if (left > 0) return { code: 'timed_out', message: r!.reason ?? 'You are timed out', retryAfterMs: left };
    return null;
  }

  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener as Listener);
    this.#listeners.set(event, set);
    return () => void set.delete(listener as Listener);
  }

  onStatus(listener: (s: TransportStatus, e?: ClientError) => void): () => void {
    this.#statusListeners.add(listener);
    return () => void this.#statusListeners.delete(listener);
  }

  /* ---------------------------------------------------------------- the fake's server side */

  #store(m: Partial<Message> & Pick<Message, 'user' | 'text'>): Message {
    const seq = (this.messages.at(-1)?.seq ?? 0) + 1;
    const message: Message = {
      id: `m${seq}`,
      seq,
      roomId: this.room.id,
      clientId: `c${seq}-${Math.random().toString(36).slice(2, 10)}`,
      createdAt: new Date(this.#now()).toISOString(),
      likes: 0,
      reward: null,
      ...m,
    };
    this.messages.push(message);
    return message;
  }

  /**
   * The server's sliding-window limits (its hot stores' `takeRate`), all or nothing: when
   * every check has room each records `now`; otherwise the first refusal, with the ms until
   * its oldest hit in the window leaves it.
   */
  #takeRate<C extends string>(checks: { key: string; limit: number; windowMs: number; code: C }[], now: number): { code: C; retryAfterMs: number } | null {
    const windows = checks.map((c) => (this.#hits.get(c.key) ?? []).filter((t) => t > now - c.windowMs));
    for (const [i, c] of checks.entries()) {
      const hits = windows[i]!;
      if (hits.length >= c.limit) return { code: c.code, retryAfterMs: Math.max(1, hits[hits.length - c.limit]! + c.windowMs - now) };
    }
    checks.forEach((c, i) => this.#hits.set(c.key, [...windows[i]!, now]));
    return null;
  }

  /** Stores the user's message, awards it (members), counts it on the board, broadcasts. */
  #commit(text: string, clientId: string, now: number, extra: Partial<Message> = {}): SendAck {
    const { user } = this.me;
    const p = this.me.progress;
    const award = p && !this.me.guest ? this.#economy.award(user.id, now) : null;
    const message = this.#store({ user, text, clientId, reward: award && (award.xp || award.coins) ? { xp: award.xp, coins: award.coins } : null, ...extra });
    let reward: Reward | null = null;
    if (p && award) {
      const score = this.#economy.count(user, award.coins, message.seq);
      const totalXp = p.totalXp + award.xp;
      const nextCoinAt = this.#economy.nextCoinAt(user.id, now);
      Object.assign(p, { totalXp, ...levelInfo(totalXp), dailyXp: award.dailyXp, coinBalance: p.coinBalance + award.coins, nextCoinAt: nextCoinAt === null ? null : new Date(nextCoinAt).toISOString() });
      reward = {
        xp: award.xp,
        coins: award.coins,
        totalXp,
        level: p.level,
        leveledUp: p.level > levelForXp(totalXp - award.xp),
        dailyXp: p.dailyXp,
        dailyXpCap: p.dailyXpCap,
        coinBalance: p.coinBalance,
        sessionCoins: score.coins,
        coinReason: award.coinReason,
        messageId: message.id,
        levelStartXp: p.levelStartXp,
        nextLevelXp: p.nextLevelXp,
      };
    }
    // The sending connection gets its reward in the ack only (docs/protocol.md, `reward`).
    this.push('message:new', structuredClone(message));
    if (award) this.#pushBoard();
    return { message, reward };
  }

  /** Broadcasts the board once for the changes of this turn (the server coalesces too). */
  #pushBoard(): void {
    if (!this.connected || this.#muted || this.#boardPending) return;
    this.#boardPending = true;
    this.#later(() => {
      this.#boardPending = false;
      this.#listeners.get('leaderboard:update')?.forEach((l) => l({ roomId: this.room.id, sessionId: this.session?.id ?? 'session-1', entries: this.leaderboard }));
    });
  }
}
