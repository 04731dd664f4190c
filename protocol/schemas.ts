/**
 * The zod schemas the server validates every client payload and HTTP body with
 * (`live-chat-protocol/schemas`). Each schema is checked at compile time against its type in
 * `types.ts` (the `Same` assertions at the end), so the documented types and the validation
 * cannot drift apart. Browser code imports `live-chat-protocol` (types and rules) and never
 * this module, so zod never reaches the widget.
 *
 * A payload that fails its schema is refused with `invalid` (docs/protocol.md, "Errors").
 */
import { z } from 'zod';
import { XP_METADATA_LIMITS } from './rules/limits.ts';
import { REACTIONS } from './rules/reactions.ts';
import { isText, normalizeText } from './rules/text.ts';
import {
  BADGES,
  type CreateRoomBody,
  type DevTokenBody,
  type JoinPayload,
  type LeavePayload,
  type MessageLikePayload,
  type MessageReactPayload,
  type MessagesQuery,
  type ModBanPayload,
  type ModerationQuery,
  type ModTimeoutPayload,
  type ModUnbanPayload,
  type RoomPinPayload,
  type RoomLikePayload,
  type RoomUpdatePayload,
  type SendPayload,
  type SessionPayload,
  type TypingPayload,
  type XpEventInput,
  type XpEventsBody,
} from './types.ts';

/** Room ids: 1..64 of letters, digits, `-` and `_`, starting with a letter or digit. */
export const roomIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'roomId must be 1..64 letters, digits, - or _');

/**
 * An id a client names (a message, a reply's original, a user, a session, an XP event and its
 * kind): 1..`max` characters (code points, as zod counts them) with no control character and
 * no unpaired surrogate ({@link isText}). Neither is part of any id the server makes, and PostgreSQL text cannot
 * store a NUL: such an id is refused `invalid` on both ledgers alike (docs/protocol.md,
 * "Client → server events").
 */
export const idSchema = (max: number) =>
  z.string().min(1).max(max).refine(isText, 'must not hold control characters or unpaired surrogates');

/**
 * Text a person reads that is not a message (a room's title, a moderator's reason): cleaned
 * as message text is ({@link normalizeText}: line breaks and tabs become spaces, other
 * control characters and unpaired surrogates are dropped, NFC, trimmed), then `min..max`
 * characters (code points).
 */
const plainTextSchema = (min: number, max: number) => z.string().transform(normalizeText).pipe(z.string().min(min).max(max));

const isoDate = z.iso.datetime({ offset: true });

export const joinSchema = z.object({
  roomId: roomIdSchema,
  sinceSeq: z.number().int().min(0).optional(),
});
export const leaveSchema = z.object({ roomId: roomIdSchema });
export const sendSchema = z.object({
  roomId: roomIdSchema,
  clientId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  /** Raw text; the length rule (1..2000 after trim) is `checkText`, applied by the chat service. */
  text: z.string().max(100_000),
  /** The answered message's id; that it is a live message of the room is checked by the chat service. */
  replyTo: idSchema(64).optional(),
});
export const messageLikeSchema = z.object({ roomId: roomIdSchema, messageId: idSchema(64) });
export const messageReactSchema = z.object({
  roomId: roomIdSchema,
  messageId: idSchema(64),
  emoji: z.enum(REACTIONS, { message: `emoji must be one of ${REACTIONS.join(' ')}` }),
});
export const roomLikeSchema = z.object({ roomId: roomIdSchema, count: z.number().int().min(1).max(50).optional() });
export const typingSchema = z.object({ roomId: roomIdSchema });
export const modDeleteSchema = messageLikeSchema;
/** A moderator's reason, shown to the user: at most 200 characters once cleaned (empty: none). */
const reasonSchema = plainTextSchema(0, 200);
export const modTimeoutSchema = z.object({
  roomId: roomIdSchema,
  userId: idSchema(128),
  seconds: z.number().int().min(1).max(7 * 24 * 3600),
  reason: reasonSchema.optional(),
});
export const modBanSchema = z.object({
  roomId: roomIdSchema,
  userId: idSchema(128),
  reason: reasonSchema.optional(),
});
export const modUnbanSchema = z.object({ roomId: roomIdSchema, userId: idSchema(128) });
export const roomPinSchema = z.object({ roomId: roomIdSchema, messageId: idSchema(64).nullable() });
export const roomUpdateSchema = z.object({
  roomId: roomIdSchema,
  slowModeSeconds: z.number().int().min(0).max(3600).optional(),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
  title: plainTextSchema(1, 120).optional(),
});
export const sessionSchema = z.object({ roomId: roomIdSchema });

/**
 * Every client → server event with the schema its payload is validated by: the one table the
 * server's handlers, the protocol fuzz test and the contract-document test read (a new event
 * cannot be left unvalidated, unfuzzed or undocumented).
 */
export const clientEventSchemas = {
  'room:join': joinSchema,
  'room:leave': leaveSchema,
  'message:send': sendSchema,
  'message:like': messageLikeSchema,
  'message:react': messageReactSchema,
  'room:like': roomLikeSchema,
  'typing:start': typingSchema,
  'typing:stop': typingSchema,
  'mod:delete': modDeleteSchema,
  'mod:timeout': modTimeoutSchema,
  'mod:ban': modBanSchema,
  'mod:unban': modUnbanSchema,
  'room:pin': roomPinSchema,
  'room:update': roomUpdateSchema,
  'session:start': sessionSchema,
  'session:end': sessionSchema,
} as const;

/* ------------------------------------------------------------------------------------------ */
/* HTTP bodies and queries                                                                     */
/* ------------------------------------------------------------------------------------------ */

export const createRoomSchema = z.object({
  id: roomIdSchema.optional(),
  title: plainTextSchema(1, 120),
  private: z.boolean().optional(),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
});

export const messagesQuerySchema = z.object({
  beforeSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const moderationQuerySchema = z.object({
  before: z.string().regex(/^[1-9][0-9]{0,15}$/, 'before must be an entry id').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const devTokenSchema = z.object({
  name: z.string().trim().min(1).max(40),
  roles: z.array(z.enum(BADGES)).max(3).optional(),
});

/** JSON depth of a value: 0 for a scalar, 1 for `{}` or `[]`, … (iterative: no stack to overflow). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > XP_METADATA_LIMITS.maxDepth) return max;
    for (const child of Object.values(v)) stack.push([child, d]);
  }
  return max;
}

/** `metadata` of an XP event: an object at most `XP_METADATA_LIMITS.maxDepth` deep and `maxBytes` as JSON. */
const xpMetadataSchema = z
  .record(z.string(), z.unknown())
  .refine((v) => jsonDepth(v) <= XP_METADATA_LIMITS.maxDepth, {
    message: `metadata may nest at most ${XP_METADATA_LIMITS.maxDepth} levels`,
    abort: true,
  })
  .refine((v) => new TextEncoder().encode(JSON.stringify(v)).length <= XP_METADATA_LIMITS.maxBytes, {
    message: `metadata may take at most ${XP_METADATA_LIMITS.maxBytes} bytes as JSON`,
  });

export const xpEventSchema = z.object({
  id: idSchema(128),
  userId: idSchema(128),
  kind: idSchema(64),
  delta: z.number().int().min(-1_000_000).max(1_000_000),
  roomId: roomIdSchema.optional(),
  metadata: xpMetadataSchema.optional(),
});
export const xpEventsBodySchema = z.object({ events: z.array(xpEventSchema).min(1).max(500) });

/* ------------------------------------------------------------------------------------------ */
/* Compile-time checks: every schema parses to exactly its documented type                     */
/* ------------------------------------------------------------------------------------------ */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertSame<_T extends true>(): void {}
assertSame<Same<z.output<typeof joinSchema>, JoinPayload>>();
assertSame<Same<z.output<typeof leaveSchema>, LeavePayload>>();
assertSame<Same<z.output<typeof sendSchema>, SendPayload>>();
assertSame<Same<z.output<typeof messageLikeSchema>, MessageLikePayload>>();
assertSame<Same<z.output<typeof messageReactSchema>, MessageReactPayload>>();
assertSame<Same<z.output<typeof roomLikeSchema>, RoomLikePayload>>();
assertSame<Same<z.output<typeof typingSchema>, TypingPayload>>();
assertSame<Same<z.output<typeof modTimeoutSchema>, ModTimeoutPayload>>();
assertSame<Same<z.output<typeof modBanSchema>, ModBanPayload>>();
assertSame<Same<z.output<typeof modUnbanSchema>, ModUnbanPayload>>();
assertSame<Same<z.output<typeof roomPinSchema>, RoomPinPayload>>();
assertSame<Same<z.output<typeof moderationQuerySchema>, ModerationQuery>>();
assertSame<Same<z.output<typeof roomUpdateSchema>, RoomUpdatePayload>>();
assertSame<Same<z.output<typeof sessionSchema>, SessionPayload>>();
assertSame<Same<z.output<typeof createRoomSchema>, CreateRoomBody>>();
assertSame<Same<z.output<typeof messagesQuerySchema>, MessagesQuery>>();
assertSame<Same<z.output<typeof devTokenSchema>, DevTokenBody>>();
assertSame<Same<z.output<typeof xpEventSchema>, XpEventInput>>();
assertSame<Same<z.output<typeof xpEventsBodySchema>, XpEventsBody>>();
