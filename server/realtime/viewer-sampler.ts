/**
 * The recap's occupancy samples: every `VIEWER_SAMPLE_MS` (30 s) the occupancy of each room
 * that has viewers on this instance is recorded for the room's running session
 * (`RecapService.sampleViewers`). With several instances each samples its rooms; occupancy is
 * shared (the hot store), so a duplicate sample changes neither the peak nor the average.
 */
import type { Logger } from 'pino';
import type { RecapService } from '../services/recap.ts';
import { VIEWER_SAMPLE_MS } from '../services/recap.ts';
import type { ChatServer } from './socket-server.ts';

const ROOM_PREFIX = 'room:';

/**
 * Starts sampling.
 * @param intervalMs between two rounds (default `VIEWER_SAMPLE_MS`, 30 s).
 * @returns `stop()`, which clears the timer; a round already running finishes, its failures
 *   are not logged after `stop()`.
 */
export function startViewerSampling(io: ChatServer, recap: RecapService, logger: Logger, intervalMs = VIEWER_SAMPLE_MS): { stop(): void } {
  let stopped = false;
  const round = async () => {
    const roomIds = [...io.of('/').adapter.rooms.keys()].filter((k) => k.startsWith(ROOM_PREFIX)).map((k) => k.slice(ROOM_PREFIX.length));
    for (const roomId of roomIds) {
      if (stopped) return;
      await recap.sampleViewers(roomId).catch((err: unknown) => {
        if (!stopped) logger.error({ err, room: roomId }, 'viewer sample failed');
      });
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
