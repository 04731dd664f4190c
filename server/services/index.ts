/** Builds every service over the stores; the HTTP and realtime layers only call these. */
import { createChatService, type ChatService } from './chat.ts';
import type { ServiceDeps } from './deps.ts';
import { createIdentityService, type IdentityService } from './identity.ts';
import { createModerationService, type ModerationService } from './moderation.ts';
import { createPresenceService, type PresenceService } from './presence.ts';
import { createRewardService, type RewardService } from './rewards.ts';
import { createRoomService, type RoomService } from './rooms.ts';
import { createSessionService, type SessionService } from './sessions.ts';

export interface Services {
  identity: IdentityService;
  rooms: RoomService;
  sessions: SessionService;
  rewards: RewardService;
  chat: ChatService;
  moderation: ModerationService;
  presence: PresenceService;
}

/**
 * Builds every service over the same stores, clock, logger and metrics.
 * @param deps the stores (`ledger`, `hot`), the `config`, the clock (ms since the epoch) and
 *   the observability sinks; services keep them, nothing is read or written yet.
 * @returns one {@link Services} per server; the HTTP and realtime layers share it. Never throws.
 */
export function createServices(deps: ServiceDeps): Services {
  const identity = createIdentityService(deps.config, deps.clock);
  const rooms = createRoomService(deps);
  const sessions = createSessionService(deps);
  const rewards = createRewardService(deps);
  const chat = createChatService({ ...deps, identity, rooms, sessions, rewards });
  const moderation = createModerationService({ ...deps, rooms });
  const presence = createPresenceService(deps);
  return { identity, rooms, sessions, rewards, chat, moderation, presence };
}
