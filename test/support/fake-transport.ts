import type { JoinAck, LeaderboardEntry, Me, Message, Reward, Room, RoomStats, ServerToClientEvents, Session, UserRef } from 'live-chat-protocol';
// Pure modules of the server (no I/O), so stories show the server's numbers. Never imported by
// the bundle's entry: test/widget/bundle.node.test.ts checks that no server module lands in it.
import { levelForXp, levelInfo } from 'live-chat-protocol';
import { compareScores, type Score as ScoreEntry } from 'live-chat-protocol';
import type { ChatTransport, ClientError, TransportAck, TransportStatus } from '../../widget/transport/chat-transport.ts';

/** What a {@link FakeTransport} starts with. Everything is optional. */
export interface FakeTransportOptions {
  room?: Partial<Room>;
  session?: Session | null;
  /** History, oldest first; `seq` values are kept. */
  messages?: Message[];
  me?: Me;
  leaderboard?: LeaderboardEntry[];
  stats?: Partial<RoomStats>;
  /** Whether the "network" is up. Default true. */
  online?: boolean;
  /** ms before each ack and pushed event; 0 (default) answers in the next task. */
  latencyMs?: number;
  /** Messages a rejoin with `sinceSeq` can replay; older → `gap: true`. Default 500. */
  replayWindow?: number;
  /** Messages returned on a fresh join or a gap. Default 100 (DESIGN.md, "history on join"). */
  historyLimit?: number;
  /** Refuses tokens this returns false for (`unauthorized`). Default: accept all. */
  acceptToken?: (token: string | null) => boolean;
  /** The economy's rules (DESIGN.md, "Rules"). */
  dailyXpCap?: number;
  coinCooldownMs?: number;
  /** Sent as `JoinAck.limits.maxMessageLength` and enforced (`too_long`); none sent when unset (2000 applies). */
  maxMessageLength?: number;
  /** ms since epoch; inject to move time without waiting. Default `Date.now`. */
  now?: () => number;
}

/** One recorded call from the widget. */
export interface FakeCall {
  method: 'connect' | 'disconnect' | 'join' | 'leave' | 'send' | 'like' | 'roomLike' | 'typing' | 'deleteMessage' | 'timeoutUser' | 'updateRoom';
  payload?: any;
}

type Listener = (...args: any[]) => void;

export const FAKE_ME: Me = {
  user: { id: 'me', name: 'You', avatarUrl: null, badges: [] },
  guest: false,
  canPost: true,
  // Levels on the server's curve (server/services/levels.ts): 40 XP is level 2 (25..75).
  progress: { userId: 'me', totalXp: 40, ...levelInfo(40), dailyXp: 2, dailyXpCap: 50, coinBalance: 3 },
};

/**
 * A chat server in memory, behind the {@link ChatTransport} interface: for Storybook stories
 * and widget tests, with no network. It keeps the contract's rules that the widget relies on
 * (per-room `seq`, idempotent `clientId`, `sinceSeq` replay and `gap`, 1..2000 characters,
 * the chat window, guests who cannot post, XP with a daily cap, coins with a cooldown, a
 * session leaderboard) and lets a test drive the rest. The level curve and the leaderboard
 * order are the server's own pure functions; the award rule (1 XP, 1 coin per message, the
 * server's defaults) is restated here because the server's lives in its reward service:
 *
 * ```ts
 * const fake = new FakeTransport(busyRoom());
 * el.transport = fake;
 * fake.post(users.anna, 'Hello!');            // someone else writes
 * fake.setOnline(false); fake.setOnline(true); // a network blip
 * fake.failNext('send', { code: 'rate_limited', message: '', retryAfterMs: 12_000 });
 * fake.calls.filter((c) => c.method === 'send');
 * ```
 *
 * Not part of the production bundle: import it from `widget/transport/fake-transport.ts`.
 */
export class FakeTransport implements ChatTransport {
  room: Room;
  session: Session | null;
  /** Every message of the room, oldest first (the server's view, not the widget's). */
  messages: Message[];
  me: Me;
  leaderboard: LeaderboardEntry[];
  stats: RoomStats;
  /** Every call the widget made, in order. */
  readonly calls: FakeCall[] = [];
  /** Tokens seen on connection attempts, in order. */
  readonly tokens: (string | null)[] = [];
  online: boolean;
  /** Whether the widget is connected (online and `connect` called and token accepted). */
  connected = false;

  private readonly opts: FakeTransportOptions;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly statusListeners = new Set<(s: TransportStatus, e?: ClientError) => void>();
  private readonly failures = new Map<string, ClientError[]>();
  private readonly sent = new Map<string, { message: Message; reward: Reward | null }>();
  private readonly likedByMe = new Set<string>();
  private getToken?: () => Promise<string | null>;
  private lastCoinAt = -Infinity;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly holds = new Map<string, Promise<ClientError | undefined>[]>();
  /** Per user: seq of the message that brought them to their board score (the tie-break). */
  private readonly lastSeq = new Map<string, number>();

  constructor(opts: FakeTransportOptions = {}) {
    this.opts = opts;
    this.room = {
      id: 'lobby',
      title: 'Lobby',
      private: false,
      opensAt: null,
      closesAt: null,
      slowModeSeconds: 0,
      createdAt: new Date(0).toISOString(),
      ...opts.room,
    };
    this.session = opts.session === undefined
      ? { id: 'session-1', roomId: this.room.id, startedAt: new Date(0).toISOString(), endedAt: null }
      : opts.session;
    this.messages = (opts.messages ?? []).map((m) => ({ ...m, roomId: this.room.id }));
    this.me = structuredClone(opts.me ?? FAKE_ME);
    this.leaderboard = opts.leaderboard ? structuredClone(opts.leaderboard) : [];
    this.rememberOrder();
    this.stats = { roomId: this.room.id, viewers: 1, likes: 0, ...opts.stats };
    this.online = opts.online ?? true;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Runs `fn` after the configured latency (always asynchronously, like a network). */
  private later(fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.opts.latencyMs ?? 0);
    this.timers.add(timer);
  }

  private answer<T extends object>(method: FakeCall['method'], payload: unknown, fn: () => TransportAck<T>): Promise<TransportAck<T>> {
    this.calls.push({ method, payload: structuredClone(payload) });
    return new Promise((resolve) => {
      if (!this.connected) return resolve({ ok: false, error: { code: 'offline', message: 'not connected' } });
      const held = this.holds.get(method)?.shift();
      if (held) return void held.then((error) => resolve(error ? { ok: false, error } : fn()));
      const failure = this.failures.get(method)?.shift();
      this.later(() => resolve(failure ? { ok: false, error: failure } : fn()));
    });
  }

  private report(status: TransportStatus, error?: ClientError): void {
    this.statusListeners.forEach((l) => l(status, error));
  }

  /* ---------------------------------------------------------------- driving the fake */

  /** Pushes a server event to the widget (after the latency), as the server would. */
  push<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!this.connected) return;
    this.later(() => this.listeners.get(event)?.forEach((l) => l(...args)));
  }

  /** Makes the next call of `method` answer this error (queue several by calling again). */
  failNext(method: FakeCall['method'], error: ClientError): void {
    const list = this.failures.get(method) ?? [];
    list.push(error);
    this.failures.set(method, list);
  }

  /**
   * Makes the next call of `method` wait for its ack (an ack lost on a dropped link) until
   * the returned function is called: with an error, the call answers it; without, as usual.
   */
  holdNext(method: FakeCall['method']): (error?: ClientError) => void {
    let release!: (error?: ClientError) => void;
    const list = this.holds.get(method) ?? [];
    list.push(new Promise((r) => (release = r)));
    this.holds.set(method, list);
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
      this.report('disconnected', { code: 'offline', message: 'network down' });
    } else if (online && this.getToken) {
      void this.attempt();
    }
  }

  /** A message from someone else: stored with the next `seq` and broadcast. */
  post(user: UserRef, text: string, extra: Partial<Message> = {}): Message {
    const message = this.store({ user, text, reward: { xp: 1, coins: 0 }, ...extra });
    this.push('message:new', message);
    return message;
  }

  /** Replaces the leaderboard (ranks recomputed from the order given) and broadcasts it. */
  setLeaderboard(entries: Omit<LeaderboardEntry, 'rank'>[]): void {
    this.leaderboard = entries.map((e, i) => ({ ...e, rank: i + 1 }));
    this.rememberOrder();
    this.pushLeaderboard();
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
   * Random chatter from `users` every `intervalMs` (for stories of a busy, live room).
   * @returns a function that stops it.
   */
  simulate(users: UserRef[], lines: string[], intervalMs = 1500): () => void {
    let i = 0;
    const timer = setInterval(() => {
      const user = users[i % users.length]!;
      const coins = i % 3 === 0 ? 1 : 0;
      this.post(user, lines[i % lines.length]!, { reward: { xp: 1, coins } });
      if (coins) this.award(user, coins);
      i++;
    }, intervalMs);
    return () => clearInterval(timer);
  }

  /** Stops pending timers; call when a story or test is done. */
  dispose(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  /* ---------------------------------------------------------------- ChatTransport */

  connect(getToken: () => Promise<string | null>): void {
    this.calls.push({ method: 'connect' });
    this.getToken = getToken;
    this.connected = false;
    if (this.online) void this.attempt();
  }

  private async attempt(): Promise<void> {
    const token = await this.getToken!();
    this.tokens.push(token);
    if (!this.online || this.connected) return;
    if (this.opts.acceptToken && !this.opts.acceptToken(token)) {
      this.later(() => this.report('unauthorized', { code: 'unauthorized', message: 'unauthorized' }));
      return;
    }
    this.later(() => {
      if (!this.online || this.connected) return;
      this.connected = true;
      this.report('connected');
    });
  }

  disconnect(): void {
    this.calls.push({ method: 'disconnect' });
    this.getToken = undefined;
    if (this.connected) {
      this.connected = false;
      this.report('closed');
    }
  }

  join(p: { roomId: string; sinceSeq?: number }): Promise<TransportAck<JoinAck>> {
    return this.answer<JoinAck>('join', p, () => {
      if (p.roomId !== this.room.id) return { ok: false, error: { code: 'not_found', message: 'no such room' } };
      const limit = this.opts.historyLimit ?? 100;
      const oldestReplayable = this.messages.at(-(this.opts.replayWindow ?? 500))?.seq ?? 0;
      const gap = p.sinceSeq !== undefined && p.sinceSeq < oldestReplayable - 1;
      const messages = p.sinceSeq === undefined || gap
        ? this.messages.slice(-limit)
        : this.messages.filter((m) => m.seq > p.sinceSeq!);
      return {
        ok: true,
        room: { ...this.room },
        session: this.session && { ...this.session },
        messages: structuredClone(messages),
        me: structuredClone(this.me),
        leaderboard: structuredClone(this.leaderboard),
        stats: { ...this.stats },
        gap,
        ...(this.opts.maxMessageLength && { limits: { maxMessageLength: this.opts.maxMessageLength } }),
      };
    });
  }

  leave(p: { roomId: string }): Promise<TransportAck> {
    return this.answer('leave', p, () => ({ ok: true }));
  }

  send(p: { roomId: string; clientId: string; text: string }): Promise<TransportAck<{ message: Message; reward: Reward | null }>> {
    return this.answer<{ message: Message; reward: Reward | null }>('send', p, () => {
      const seen = this.sent.get(p.clientId);
      if (seen) return { ok: true, ...structuredClone(seen) };
      const text = p.text.trim();
      const now = this.now();
      const refuse = (code: ClientError['code'], retryAfterMs?: number) =>
        ({ ok: false as const, error: { code, message: code, ...(retryAfterMs !== undefined && { retryAfterMs }) } });
      if (!this.me.canPost) return refuse('unauthorized');
      if (!text) return refuse('invalid');
      if ([...text].length > (this.opts.maxMessageLength ?? 2000)) return refuse('too_long');
      if (this.room.opensAt && now < Date.parse(this.room.opensAt)) return refuse('chat_closed', Date.parse(this.room.opensAt) - now);
      if (this.room.closesAt && now >= Date.parse(this.room.closesAt)) return refuse('chat_closed');

      const message = this.store({ user: this.me.user, text, clientId: p.clientId });
      const reward = this.rewardFor(now, message.id);
      message.reward = reward && { xp: reward.xp, coins: reward.coins };
      this.sent.set(p.clientId, { message, reward });
      this.push('message:new', structuredClone(message));
      if (reward) {
        this.push('reward', structuredClone(reward));
        this.award(this.me.user, reward.coins);
      }
      return { ok: true, message: structuredClone(message), reward: structuredClone(reward) };
    });
  }

  like(p: { roomId: string; messageId: string }): Promise<TransportAck<{ likes: number }>> {
    return this.answer<{ likes: number }>('like', p, () => {
      const m = this.messages.find((x) => x.id === p.messageId);
      if (!m) return { ok: false, error: { code: 'not_found', message: 'no such message' } };
      const liked = !this.likedByMe.delete(m.id);
      if (liked) this.likedByMe.add(m.id);
      m.likes += liked ? 1 : -1;
      this.push('message:likes', { roomId: this.room.id, messageId: m.id, likes: m.likes });
      return { ok: true, likes: m.likes };
    });
  }

  roomLike(p: { roomId: string; count?: number }): Promise<TransportAck<{ likes: number }>> {
    return this.answer<{ likes: number }>('roomLike', p, () => {
      this.stats.likes += p.count ?? 1;
      this.push('room:stats', { ...this.stats });
      return { ok: true, likes: this.stats.likes };
    });
  }

  typing(p: { roomId: string }, active: boolean): Promise<TransportAck> {
    return this.answer('typing', { ...p, active }, () => ({ ok: true }));
  }

  deleteMessage(p: { roomId: string; messageId: string }): Promise<TransportAck> {
    return this.answer('deleteMessage', p, () => {
      const m = this.messages.find((x) => x.id === p.messageId);
      if (m) {
        m.deleted = true;
        m.text = '';
      }
      this.push('message:deleted', { roomId: this.room.id, messageId: p.messageId });
      return { ok: true };
    });
  }

  timeoutUser(p: { roomId: string; userId: string; seconds: number }): Promise<TransportAck> {
    return this.answer('timeoutUser', p, () => ({ ok: true }));
  }

  updateRoom(p: Partial<Room> & { roomId: string }): Promise<TransportAck<{ room: Room }>> {
    return this.answer<{ room: Room }>('updateRoom', p, () => {
      const { roomId: _, ...change } = p;
      this.setRoom(change);
      return { ok: true, room: { ...this.room } };
    });
  }

  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    return () => void set.delete(listener as Listener);
  }

  onStatus(listener: (s: TransportStatus, e?: ClientError) => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  /* ---------------------------------------------------------------- the fake's server side */

  private store(m: Partial<Message> & Pick<Message, 'user' | 'text'>): Message {
    const seq = (this.messages.at(-1)?.seq ?? 0) + 1;
    const message: Message = {
      id: `m${seq}`,
      seq,
      roomId: this.room.id,
      clientId: `c${seq}-${Math.random().toString(36).slice(2, 10)}`,
      createdAt: new Date(this.now()).toISOString(),
      likes: 0,
      reward: null,
      ...m,
    };
    this.messages.push(message);
    return message;
  }

  private rewardFor(now: number, messageId: string): Reward | null {
    const p = this.me.progress;
    if (!p) return null;
    const xp = p.dailyXp < p.dailyXpCap ? 1 : 0;
    const coins = now - this.lastCoinAt >= (this.opts.coinCooldownMs ?? 300_000) ? 1 : 0;
    if (coins) this.lastCoinAt = now;
    const level = levelInfo(p.totalXp + xp);
    Object.assign(p, { totalXp: p.totalXp + xp, dailyXp: p.dailyXp + xp, coinBalance: p.coinBalance + coins, ...level });
    const mine = this.leaderboard.find((e) => e.userId === this.me.user.id);
    return {
      xp,
      coins,
      totalXp: p.totalXp,
      level: p.level,
      leveledUp: p.level > levelForXp(p.totalXp - xp),
      dailyXp: p.dailyXp,
      dailyXpCap: p.dailyXpCap,
      coinBalance: p.coinBalance,
      sessionCoins: (mine?.coins ?? 0) + coins,
      coinReason: coins ? 'chat_message' : xp ? 'rate_limited' : 'cap_reached',
      messageId,
      levelStartXp: p.levelStartXp,
      nextLevelXp: p.nextLevelXp,
    };
  }

  /** Counts a message (and its coins) on the session leaderboard and broadcasts it. */
  award(user: UserRef, coins: number): void {
    let entry = this.leaderboard.find((e) => e.userId === user.id);
    if (!entry) {
      entry = { rank: 0, userId: user.id, name: user.name, avatarUrl: user.avatarUrl, coins: 0, messages: 0 };
      this.leaderboard.push(entry);
    }
    entry.coins += coins;
    entry.messages += 1;
    this.lastSeq.set(user.id, this.messages.at(-1)?.seq ?? 0);
    // The server's order: coins, then messages, then who got there first (DESIGN.md).
    const score = (e: LeaderboardEntry): ScoreEntry => ({ ...e, lastSeq: this.lastSeq.get(e.userId) ?? 0 });
    this.leaderboard.sort((a, b) => compareScores(score(a), score(b)));
    this.leaderboard.forEach((e, i) => (e.rank = i + 1));
    this.pushLeaderboard();
  }

  /** A board set from outside: its rows got there first, in its order (before any seq). */
  private rememberOrder(): void {
    this.leaderboard.forEach((e, i) => this.lastSeq.set(e.userId, i - this.leaderboard.length));
  }

  private pushLeaderboard(): void {
    this.push('leaderboard:update', {
      roomId: this.room.id,
      sessionId: this.session?.id ?? 'session-1',
      entries: structuredClone(this.leaderboard.slice(0, 10)),
    });
  }
}
