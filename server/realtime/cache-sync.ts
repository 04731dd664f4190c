/**
 * Keeps the send path's caches true across instances (issue 8; docs/server.md, "Scale-out").
 * The room settings and the restrictions a send checks are cached for a few seconds
 * (`ROOM_SETTINGS_TTL_MS`, `RESTRICTIONS_TTL_MS`) so that a send reads neither from the
 * ledger. A change made here drops this instance's entry (the services listen to their own
 * announcements); this module tells the other instances, through Socket.IO's
 * `serverSideEmit` over the Redis adapter, so they drop theirs at once. Without Redis there
 * are no other instances to tell; while Redis is down the TTLs bound how long another
 * instance may use what it had read (a slow-mode change, a ban) before it reads again.
 */
import type { Server } from 'socket.io';
import type { Services } from '../services/index.ts';

/** The events instances send each other (not clients). */
interface InterServerEvents {
  'cache:room': (roomId: string) => void;
  'cache:restrictions': (roomId: string, userId: string) => void;
}

/**
 * Wires the cache invalidations between instances onto `io`.
 * @param crossInstance true when a Redis adapter connects the instances; false: nothing to do.
 * @returns unsubscribes from the services' events.
 */
export function syncCaches(io: Server, services: Pick<Services, 'events' | 'rooms' | 'restrictions'>, crossInstance: boolean): () => void {
  if (!crossInstance) return () => undefined;
  const peers = io as unknown as Server<Record<string, never>, Record<string, never>, InterServerEvents>;
  peers.on('cache:room', (roomId) => services.rooms.forget(roomId));
  peers.on('cache:restrictions', (roomId, userId) => services.restrictions.forget(roomId, userId));
  const offs = [
    services.events.on('roomUpdated', ({ room }) => peers.serverSideEmit('cache:room', room.id)),
    services.events.on('restrictionChanged', ({ userId, notice }) => peers.serverSideEmit('cache:restrictions', notice.roomId, userId)),
  ];
  return () => offs.forEach((off) => off());
}
