/**
 * `live-chat-protocol`: the wire contract's types and the pure rules both sides use (text,
 * levels, leaderboard order, chat window and session rule, resume rule, award rule, default
 * limits). No runtime dependency: the zod schemas are the separate entry
 * `live-chat-protocol/schemas`. The contract is documented in `docs/protocol.md`.
 */
export * from './types.ts';
export * from './events.ts';
export * from './routes.ts';
export * from './rules/award.ts';
export * from './rules/chat-window.ts';
export * from './rules/leaderboard.ts';
export * from './rules/levels.ts';
export * from './rules/limits.ts';
export * from './rules/message-new.ts';
export * from './rules/reactions.ts';
export * from './rules/replay.ts';
export * from './rules/replies.ts';
export * from './rules/text.ts';
