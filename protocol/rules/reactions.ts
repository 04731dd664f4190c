/**
 * Reactions (docs/protocol.md, "Rules"): a fixed set of emoji a user puts on a message, one
 * of each per user per message, toggled. The like is the ❤️ reaction: `Message.likes` is its
 * count and `message:like` toggles it.
 */

/** Every reaction, in the order a client shows them. Each is the exact string on the wire. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** The reaction `message:like` toggles and `Message.likes` counts. */
export const LIKE_REACTION: Reaction = '❤️';

/** A message's reaction counts; reactions nobody gave are omitted (never 0). */
export type ReactionCounts = Partial<Record<Reaction, number>>;

/** True when `value` is one of {@link REACTIONS}. */
export function isReaction(value: unknown): value is Reaction {
  return (REACTIONS as readonly unknown[]).includes(value);
}
