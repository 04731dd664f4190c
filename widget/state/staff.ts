import type { UserRef } from 'live-chat-protocol';

/**
 * Whether a user is staff of the room: a `host` or `moderator` badge, the server's rule
 * (server/services/identity.ts `isStaff`). Staff get the host tools (a separate chunk, loaded
 * only for them), skip slow mode, and may unpin.
 */
export const isStaff = (user: UserRef | null | undefined): boolean => !!user?.badges.some((b) => b === 'host' || b === 'moderator');
