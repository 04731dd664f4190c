/**
 * Session recaps (issue 9): what happened during one live event of a room, for hosts after
 * the event and for any page that may see the room (`GET /api/rooms/:roomId/sessions/:sessionId/recap`).
 *
 * Collected as the event runs, at no cost to the send path: messages and chatters are read
 * from the stored messages when a recap is asked for; hearts are counted per UTC minute in
 * the transaction that adds them; occupancy is sampled by {@link RecapService.sampleViewers},
 * which the realtime layer calls for every room with viewers every `VIEWER_SAMPLE_MS` (30 s,
 * so every minute gets at least one sample).
 */
import type { RecapChatter, RecapMinute, SessionRecap } from 'live-chat-protocol';
import { iso, type ServiceContext } from './deps.ts';
import type { Identity } from './identity.ts';
import type { RoomService } from './rooms.ts';
import type { SessionService } from './sessions.ts';

/** How often the realtime layer samples the occupancy of each room with viewers: 30 s. */
export const VIEWER_SAMPLE_MS = 30_000;
/** The longest timeline a recap draws: 7 days of minutes; a longer session's is cut there. */
export const MAX_TIMELINE_MINUTES = 7 * 24 * 60;
/** Rows of `topChatters`. */
export const TOP_CHATTERS = 10;

const MINUTE_MS = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

export interface RecapService {
  /**
   * The recap of a session of the room: totals, the per-minute timeline from the session's
   * first minute to its last (or the current one while it runs, at most
   * {@link MAX_TIMELINE_MINUTES}), and the top {@link TOP_CHATTERS} chatters (most messages,
   * then most coins, then who wrote first).
   * @throws `not_found` (room, or a session of another room), `forbidden` (a private room)
   */
  recap(identity: Identity | null, roomId: string, sessionId: string): Promise<SessionRecap>;
  /** Records the room's occupancy now for its running session; nothing when no session runs. */
  sampleViewers(roomId: string): Promise<void>;
}

/**
 * Builds the recap service.
 * @param deps the ledger (per-minute counts, messages), the hot store (occupancy), the clock
 *   (ms: the sample's minute, the end of a running session's timeline), the room and session
 *   services (visibility, `not_found`).
 * @returns a {@link RecapService}. Never throws when built.
 */
export function createRecapService(deps: ServiceContext & { rooms: RoomService; sessions: SessionService }): RecapService {
  const { ledger, hot, clock, rooms, sessions } = deps;
  return {
    async recap(identity, roomId, sessionId) {
      const room = await rooms.getVisible(identity, roomId);
      const session = await sessions.get(room, sessionId);
      const activity = await ledger.sessionActivity(session.id);

      const first = minuteOf(session.startedAt);
      const last = Math.max(first, minuteOf(session.endedAt ?? clock()));
      const count = Math.min(MAX_TIMELINE_MINUTES, (last - first) / MINUTE_MS + 1);
      const messagesAt = new Map(activity.messagesByMinute.map((m) => [m.minute, m.messages]));
      const statsAt = new Map(activity.minutes.map((m) => [m.minute, m]));
      const timeline: RecapMinute[] = Array.from({ length: count }, (_, i) => {
        const minute = first + i * MINUTE_MS;
        const stats = statsAt.get(minute);
        return { minute: iso(minute), messages: messagesAt.get(minute) ?? 0, viewers: stats?.viewersPeak ?? 0, hearts: stats?.hearts ?? 0 };
      });

      const samples = activity.minutes.reduce((n, m) => n + m.viewersSamples, 0);
      const viewerSum = activity.minutes.reduce((n, m) => n + m.viewersSum, 0);
      const sum = (pick: (c: (typeof activity.chatters)[number]) => number) => activity.chatters.reduce((n, c) => n + pick(c), 0);
      const topChatters: RecapChatter[] = [...activity.chatters]
        .sort((a, b) => b.messages - a.messages || b.coins - a.coins || a.firstSeq - b.firstSeq)
        .slice(0, TOP_CHATTERS)
        .map((c) => ({ userId: c.user.id, name: c.user.name, avatarUrl: c.user.avatarUrl, messages: c.messages, coins: c.coins, xp: c.xp }));

      return {
        roomId: room.id,
        sessionId: session.id,
        startedAt: iso(session.startedAt),
        endedAt: iso(session.endedAt),
        peakViewers: activity.minutes.reduce((max, m) => Math.max(max, m.viewersPeak), 0),
        averageViewers: samples === 0 ? 0 : Math.round((viewerSum / samples) * 10) / 10,
        uniqueChatters: activity.chatters.length,
        messages: sum((c) => c.messages),
        hearts: session.likes,
        xpAwarded: sum((c) => c.xp),
        coinsAwarded: sum((c) => c.coins),
        timeline,
        topChatters,
      };
    },

    async sampleViewers(roomId) {
      const session = await ledger.latestSession(roomId);
      if (!session || session.endedAt !== null) return;
      await ledger.recordViewers(session.id, clock(), await hot.occupancy(roomId));
    },
  };
}
