import { LIKE_REACTION, type JoinAck, type Message, type Reward, type ServerToClientEvents } from 'live-chat-protocol';
import { LcLevelUpEvent } from '../events/level-up-event.ts';
import { LcMessageEvent } from '../events/message-event.ts';
import { LcRewardEvent } from '../events/reward-event.ts';
import type { ChatStores } from '../state/chat-stores.ts';
import type { ChatTransport } from './chat-transport.ts';

/** What room sync needs from `<live-chat>`: its stores, and a target for its DOM events. */
export interface SyncHost extends EventTarget {
  readonly stores: ChatStores;
}

/**
 * Keeps the stores in step with one joined room (issue 2's reconnect rules, docs/protocol.md
 * "Resume"): applies a `room:join` ack (history replaced on a first join or `gap: true`,
 * merged with duplicates dropped by `id` on a rejoin with `sinceSeq`), turns server events of
 * that room into store actions, and fires `lc-message`, `lc-reward` and `lc-level-up`.
 * It never talks to the transport except to subscribe; the connection controller joins.
 */
export class RoomSync {
  /** The room whose ack was applied; undefined before the first join and after `reset`. */
  joinedRoom?: string;

  #host: SyncHost;

  constructor(host: SyncHost) {
    this.#host = host;
  }

  get #stores(): ChatStores {
    return this.#host.stores;
  }

  /** `sinceSeq` for joining `roomId`: the last seq held when rejoining the same room. */
  sinceSeq(roomId: string): number | undefined {
    return this.joinedRoom === roomId ? this.#stores.messages.lastSeq() : undefined;
  }

  /** Subscribes to the server events of the joined room; returns the unsubscribe functions. */
  listen(t: ChatTransport): (() => void)[] {
    const s = this.#stores;
    const here = (roomId: string) => roomId === this.joinedRoom;
    const handlers: { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } = {
      'message:new': (m) => here(m.roomId) && this.receive([m]),
      'message:deleted': (p) => here(p.roomId) && s.messages.patch(p.messageId, { deleted: true, text: '' }),
      'message:likes': (p) => here(p.roomId) && s.messages.patch(p.messageId, { likes: p.likes }),
      'message:reactions': (p) => here(p.roomId) && s.messages.patch(p.messageId, { reactions: p.reactions, likes: p.reactions[LIKE_REACTION] ?? 0 }),
      'room:stats': (p) => here(p.roomId) && s.stats.apply(p),
      'room:updated': (r) => here(r.id) && s.room.update(r),
      'leaderboard:update': (p) => here(p.roomId) && s.leaderboard.apply(p.entries),
      typing: (p) => here(p.roomId) && s.room.setTyping(p.users),
      reward: (r) => this.reward(r),
      'moderation:notice': (n) => here(n.roomId) && s.me.restrict(n),
      'session:updated': (p) => here(p.roomId) && s.room.setSession(p.session) && s.leaderboard.apply([]),
    };
    return Object.entries(handlers).map(([event, handler]) => t.on(event as keyof ServerToClientEvents, handler as never));
  }

  /** Applies a successful `room:join` ack for `roomId` joined with `sinceSeq`. */
  applyJoin(roomId: string, sinceSeq: number | undefined, ack: JoinAck): void {
    const s = this.#stores;
    s.room.applyJoin(ack);
    s.me.apply(ack.me);
    s.leaderboard.apply(ack.leaderboard);
    s.stats.apply(ack.stats);
    if (sinceSeq === undefined || ack.gap) s.messages.reset(ack.messages);
    else s.messages.merge(ack.messages);
    this.#dropEchoes(ack.messages);
    this.joinedRoom = roomId;
  }

  /** Forgets the joined room and everything of it in the stores. */
  reset(): void {
    this.joinedRoom = undefined;
    this.#stores.clearRoom();
  }

  /** New messages from the server: merged (deduplicated by id), announced once. */
  receive(list: Message[]): void {
    this.#dropEchoes(list);
    const me = this.#stores.me.$me.get()?.user.id;
    for (const message of this.#stores.messages.merge(list)) {
      this.#host.dispatchEvent(new LcMessageEvent({ message, own: message.user.id === me }));
    }
  }

  /** A reward from an ack or the `reward` event, counted and announced once. */
  reward(r: Reward): void {
    const s = this.#stores;
    if (!s.me.applyReward(r)) return;
    this.#host.dispatchEvent(new LcRewardEvent(r));
    // A late reward (another tab) can carry a level-up already passed: announce the level shown.
    if (r.leveledUp && s.me.$me.get()?.progress?.level === r.level) {
      this.#host.dispatchEvent(new LcLevelUpEvent({ level: r.level, reward: r }));
      s.ui.showToast(s.$locale.get().t.levelUp(r.level));
    }
  }

  /** Our own messages seen in a broadcast or a replay leave the outbox. */
  #dropEchoes(list: Message[]): void {
    const mine = this.#stores.me.$me.get()?.user.id;
    this.#stores.outbox.remove(...list.filter((m) => m.user.id === mine).map((m) => m.clientId));
  }
}
