/**
 * What the services announce after something happened (handlers are thin;
 * services decide; stores store"). `realtime/` subscribes and turns each event into Socket.IO
 * emits; a service never receives a callback to decide when to broadcast, and never knows who
 * listens.
 *
 * Listeners run synchronously, in subscription order, inside `announce`: an event announced
 * inside a per-room lock (e.g. `messageStored`) reaches every listener before the lock is
 * released, so the order of announcements is the order listeners see. A listener that throws
 * is logged and does not stop the others or the announcing service.
 */
import type { Message, ModerationNotice, Reward, Room, UserRef } from 'live-chat-protocol';
import type { SessionRecord } from '../stores/ledger.ts';

/** Every domain event and its payload. */
export interface DomainEventMap {
  /**
   * A chat message was committed (never for a duplicate `clientId`). Announced right after
   * the commit, inside the room's commit lock: per room, in seq order.
   */
  messageStored: { roomId: string; message: Message };
  /**
   * A user's message earned XP or coins (never for a zero award); announced again for a
   * retried `clientId` (the first attempt may have failed before announcing it). Clients
   * dedupe by `reward.messageId`. `connectionId`: the connection that sent the message; its
   * ack carries the reward, so the event is not sent there.
   */
  rewardEarned: { userId: string; reward: Reward; connectionId?: string };
  /** A message's likes changed. */
  likesChanged: { roomId: string; messageId: string; likes: number };
  /** A message's reaction counts changed (the ❤️ toggle included); realtime reads the counts when it sends. */
  reactionsChanged: { roomId: string; messageId: string };
  /** A moderator deleted a message (it keeps its seq with empty text). */
  messageDeleted: { roomId: string; messageId: string };
  /** A room's settings changed (title, slow mode, window). */
  roomUpdated: { room: Room };
  /** A session started in a room (`session:start`, the window opening, or implicitly). */
  sessionStarted: { roomId: string; session: SessionRecord };
  /** Staff ended a room's session (`session:end`); a session replaced by a new one is told by `sessionStarted`. */
  sessionEnded: { roomId: string; session: SessionRecord };
  /** A moderator timed out, banned or unbanned a user: told to that user's sockets only. */
  restrictionChanged: { userId: string; notice: ModerationNotice };
  /**
   * A user's first connection entered a room (`joined`) or their last one left it (`left`).
   * `connectionId` is the connection that caused it (it is not told about itself).
   */
  presenceChanged: { roomId: string; user: UserRef; change: 'joined' | 'left'; connectionId: string };
  /**
   * Who is typing in a room changed. `expiresInMs`: the list changes again by itself after
   * that many ms, when the entry just set expires; null when nothing was set.
   */
  typingChanged: { roomId: string; expiresInMs: number | null };
  /** A score on the leaderboard of the room's session `sessionId` (the current one) changed. */
  leaderboardChanged: { roomId: string; sessionId: string };
  /** A room's stats changed: viewers (occupancy) or the session's hearts. */
  statsChanged: { roomId: string };
}

export type DomainEventName = keyof DomainEventMap;
export type DomainListener<K extends DomainEventName> = (event: DomainEventMap[K]) => void;

/** The services' announcement channel. One per server. */
export interface DomainEvents {
  /** Subscribes `listener` to `name`; returns the unsubscribe function. */
  on<K extends DomainEventName>(name: K, listener: DomainListener<K>): () => void;
  /** Runs every listener of `name` now, in subscription order. Never throws. */
  announce<K extends DomainEventName>(name: K, event: DomainEventMap[K]): void;
}

/**
 * Builds an announcement channel.
 * @param onListenerError gets what a listener threw and the event's name (the server logs it).
 */
export function createDomainEvents(onListenerError: (err: unknown, name: DomainEventName) => void): DomainEvents {
  const listeners = new Map<DomainEventName, Set<(event: never) => void>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    announce(name, event) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as DomainListener<typeof name>)(event);
        } catch (err) {
          onListenerError(err, name);
        }
      }
    },
  };
}
