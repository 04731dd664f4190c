/**
 * The recap's occupancy samples: every `VIEWER_SAMPLE_MS` (30 s) the occupancy of each room
 * that has viewers on this instance is recorded for the room's running session
 * (`RecapService.sampleViewers`), and, when `events` is given, also soon after someone enters
 * or leaves a room (at most one such sample per room per `CHANGE_SAMPLE_MS`, 5 s, the last
 * change always sampled), so a session shorter than the interval still has its peak. With
 * several instances each samples its rooms; occupancy is shared (the hot store), so a
 * duplicate sample changes neither the peak nor the average.
 */
import type { Logger } from 'pino';
import type { DomainEvents } from '../services/events.ts';
import type { RecapService } from '../services/recap.ts';
import { VIEWER_SAMPLE_MS } from '../services/recap.ts';
import type { ChatServer } from './socket-server.ts';

const ROOM_PREFIX = 'room:';
/** The least time between two samples of one room caused by people entering or leaving: 5 s. */
export const CHANGE_SAMPLE_MS = 5_000;

/**
 * Starts sampling.
 * @param intervalMs between two rounds (default `VIEWER_SAMPLE_MS`, 30 s).
 * @param events the services' announcements: a `presenceChanged` samples that room too (throttled).
 * @returns `stop()`, which clears the timer; a round already running finishes, its failures
 *   are not logged after `stop()`.
 */
export function startViewerSampling(
  io: ChatServer,
  recap: RecapService,
  logger: Logger,
  intervalMs = VIEWER_SAMPLE_MS,
  events?: DomainEvents,
): { stop(): void } {
  let stopped = false;
  const sample = (roomId: string) =>
    recap.sampleViewers(roomId).catch((err: unknown) => {
      if (!stopped) logger.error({ err, room: roomId }, 'viewer sample failed');
    });
  /** Per room: when the last change sample ran (ms), and the trailing one waiting, if any. */
  const lastChangeSample = new Map<string, number>();
  const trailing = new Map<string, NodeJS.Timeout>();
  const onChange = (roomId: string) => {
    if (stopped || trailing.has(roomId)) return;
    const wait = (lastChangeSample.get(roomId) ?? -Infinity) + CHANGE_SAMPLE_MS - Date.now();
    const run = () => {
      trailing.delete(roomId);
      lastChangeSample.set(roomId, Date.now());
      void sample(roomId);
    };
    if (wait <= 0) run();
    else {
      const timer = setTimeout(run, wait);
      timer.unref();
      trailing.set(roomId, timer);
    }
  };
  const unsubscribe = events?.on('presenceChanged', ({ roomId }) => onChange(roomId));
  const round = async () => {
    const roomIds = [...io.of('/').adapter.rooms.keys()].filter((k) => k.startsWith(ROOM_PREFIX)).map((k) => k.slice(ROOM_PREFIX.length));
    for (const roomId of roomIds) {
      if (stopped) return;
      await sample(roomId);
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      for (const t of trailing.values()) clearTimeout(t);
      trailing.clear();
    },
  };
}
