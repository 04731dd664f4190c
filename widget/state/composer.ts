import { chatWindowState, DEFAULT_LIMITS, normalizeText, textLength, type Me, type Restriction, type Room } from 'live-chat-protocol';
import type { ConnectionState } from './connection.ts';

/**
 * Longest message, in characters (Unicode code points): the protocol's default
 * (`DEFAULT_LIMITS.maxMessageLength`), used when the join ack has no `limits.maxMessageLength`
 * (an older server); see `room.$maxLength`.
 */
export const MAX_MESSAGE_LENGTH: number = DEFAULT_LIMITS.maxMessageLength;
/** The character counter shows from this many characters left. */
export const COUNTER_FROM = 200;

/**
 * What the composer can do now (issue 2):
 * - `connecting`: no room joined yet;
 * - `error`: the connection gave up (see the banner);
 * - `guest`: `me.canPost` is false ("Sign in to chat");
 * - `countdown`: before the room's `opensAt` ("Chat opens in 12:34");
 * - `closed`: after the room's `closesAt` ("Chat has closed");
 * - `restricted`: the user is banned, or timed out until a later time ({@link restrictionAt});
 * - `open`: sending works; while reconnecting, sends wait in the outbox.
 */
export type ComposerMode = 'connecting' | 'error' | 'guest' | 'countdown' | 'closed' | 'restricted' | 'open';

/**
 * The user's restriction in force at `now` (ms since epoch): `me.restriction` (join ack,
 * then `moderation:notice`) when it is a ban, or a timeout whose `until` is later; else null.
 */
export const restrictionAt = (me: Me | null | undefined, now: number): Restriction | null => {
  const r = me?.restriction;
  return r && (r.kind === 'ban' || Date.parse(r.until!) > now) ? r : null;
};

/** The composer's mode from the stores' values at `now` (ms since epoch). */
export function composerMode(room: Room | null | undefined, me: Me | null | undefined, connection: ConnectionState | undefined, now: number): ComposerMode {
  if (connection?.status === 'error') return 'error';
  if (!room || !me) return 'connecting';
  if (!me.canPost) return 'guest';
  if (restrictionAt(me, now)) return 'restricted';
  const window = chatWindowState({ opensAt: room.opensAt ? Date.parse(room.opensAt) : null, closesAt: room.closesAt ? Date.parse(room.closesAt) : null }, now);
  return window.open ? 'open' : 'closed' in window ? 'closed' : 'countdown';
}

/**
 * Length in characters as the server counts them: the protocol's `textLength` of the
 * `normalizeText`ed text (code points after NFC and trimming, so an emoji is 1 or 2).
 */
export const charCount = (text: string): number => textLength(normalizeText(text));
