/**
 * Keeps this instance's share of a shared presence true (docs/server.md, "Failure
 * behaviour"): a heartbeat every `PRESENCE_HEARTBEAT_MS`, through which instances that died
 * without closing their sockets (kill -9, a lost machine) are reaped `PRESENCE_TIMEOUT_MS`
 * after their last one, and a resync of this instance's sockets whenever the hot state was
 * lost or kept without them (`PresenceService.heartbeat` / `resync`). Used with Redis only:
 * one instance on the memory store holds all of its presence itself.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { PresenceService } from '../services/presence.ts';
import type { PresenceEntry } from '../stores/hot-store.ts';
import type { ChatServer } from './socket-server.ts';

/** This instance's presence as its sockets have it: one entry per (open socket, chat room it joined). */
export function localPresence(io: ChatServer): PresenceEntry[] {
  const entries: PresenceEntry[] = [];
  for (const socket of io.of('/').sockets.values()) {
    const { connection, identity } = socket.data;
    if (!connection?.open) continue;
    for (const roomId of connection.rooms) entries.push({ roomId, user: identity.user, socketId: connection.id });
  }
  return entries;
}

export interface PresenceKeeping {
  /** Resyncs this instance's sockets now (Redis came back, or went away); failures are logged. */
  resync(): void;
  /** Stops the heartbeats. */
  stop(): void;
}

/**
 * Starts the heartbeats (the first at once, so a new instance is known and reaps the dead at
 * its second) on this instance's sockets of `io`.
 * @param deps `config.presenceHeartbeatMs` (ms between heartbeats), the presence service,
 *   and the logger (a failed heartbeat or resync is logged at `warn`; the next one retries).
 */
export function keepPresence(
  io: ChatServer,
  deps: { config: Config; presence: PresenceService; logger: Logger },
): PresenceKeeping {
  const { config, presence, logger } = deps;
  const local = () => localPresence(io);

  let beating = false;
  const beat = () => {
    if (beating) return;
    beating = true;
    presence
      .heartbeat(local)
      .catch((err: unknown) => logger.warn({ err }, 'presence heartbeat failed'))
      .finally(() => {
        beating = false;
      });
  };
  const timer = setInterval(beat, config.presenceHeartbeatMs);
  timer.unref();
  beat();

  return {
    resync() {
      presence.resync(local).catch((err: unknown) => logger.warn({ err }, 'presence resync failed'));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
