/**
 * The server → client event names as a runtime list (docs/protocol.md, "Server → client
 * events"), for code that must enumerate them without zod: the contract-document test, a
 * client that subscribes to every event, a logger. The client → server events are the keys of
 * `clientEventSchemas` (`live-chat-protocol/schemas`), which pairs each with its schema.
 */
import type { ServerToClientEvents } from './types.ts';

/** A server → client event name. */
export type ServerEvent = keyof ServerToClientEvents;

/**
 * Every event the server emits, in the order docs/protocol.md documents them. The checks
 * below fail the type check when an event of `ServerToClientEvents` is missing here, or when
 * this list names one that does not exist.
 */
export const SERVER_EVENTS = [
  'message:new',
  'message:deleted',
  'message:likes',
  'message:reactions',
  'room:stats',
  'room:updated',
  'leaderboard:update',
  'presence:join',
  'presence:leave',
  'typing',
  'reward',
  'moderation:notice',
  'session:updated',
] as const satisfies readonly ServerEvent[];

/* Compile-time check: the list and `keyof ServerToClientEvents` are the same set. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertSame<_T extends true>(): void {}
assertSame<Same<(typeof SERVER_EVENTS)[number], ServerEvent>>();
