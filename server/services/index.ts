/** Builds every service over the stores; the HTTP and realtime layers only call these. */
import { createChatService, type ChatService } from './chat.ts';
import type { ServiceDeps } from './deps.ts';
import { createDomainEvents, type DomainEvents } from './events.ts';
import { createIdentityService, type IdentityService } from './identity.ts';
import { createModerationService, createRestrictions, type ModerationService, type Restrictions } from './moderation.ts';
import { createPresenceService, type PresenceService } from './presence.ts';
import { createReactionService, type ReactionService } from './reactions.ts';
import { createRecapService, type RecapService } from './recap.ts';
import { createRewardService, type RewardService } from './rewards.ts';
import { createRoomService, type RoomService } from './rooms.ts';
import { createSessionService, type SessionService } from './sessions.ts';

export interface Services {
  identity: IdentityService;
  rooms: RoomService;
  sessions: SessionService;
  rewards: RewardService;
  chat: ChatService;
  /** Reactions and likes (the ❤️ reaction). */
  reactions: ReactionService;
  moderation: ModerationService;
  /** Running timeouts and bans: the checks every action of a user in a room goes through. */
  restrictions: Restrictions;
  recap: RecapService;
  presence: PresenceService;
  /** What the services announce (`messageStored`, `rewardEarned`, …); `realtime/` subscribes. */
  events: DomainEvents;
}

/**
 * Builds every service over the same stores, clock, logger, metrics and announcement channel.
 * @param deps the stores (`ledger`, `hot`), the `config`, the clock (ms since the epoch) and
 *   the observability sinks; services keep them, nothing is read or written yet. A listener
 *   that throws is logged (`domain event listener failed`).
 * @returns one {@link Services} per server; the HTTP and realtime layers share it. Never throws.
 */
export function createServices(deps: ServiceDeps): Services {
  const events = createDomainEvents((err, name) => deps.logger.error({ err, event: name }, 'domain event listener failed'));
  const context = { ...deps, events };
  const identity = createIdentityService(deps.config, deps.clock);
  const rooms = createRoomService(context);
  const rewards = createRewardService(context);
  const restrictions = createRestrictions(context);
  const sessions = createSessionService({ ...context, identity, rooms, rewards, restrictions });
  const presence = createPresenceService({ ...context, identity, rooms, restrictions });
  const chat = createChatService({ ...context, identity, rooms, sessions, rewards, presence, restrictions });
  const moderation = createModerationService({ ...context, rooms, restrictions });
  const reactions = createReactionService({ ...context, identity, rooms, restrictions });
  const recap = createRecapService({ ...context, rooms, sessions });
  return { identity, rooms, sessions, rewards, chat, reactions, moderation, restrictions, recap, presence, events };
}
