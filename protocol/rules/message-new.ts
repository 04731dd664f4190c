/**
 * The lean `message:new` (docs/protocol.md, "`message:new`"; issue 8, "leaner fan-out"): a
 * broadcast is encoded once and sent to every viewer of the room, so every byte counts N
 * times. The server leaves out what a receiver can put back: `likes` when 0, `reward` when
 * null, `replyTo` when null, `reactions` when empty, and the sender's `avatarUrl` when null and
 * `badges` when empty. The widget expands it at its transport boundary, so its stores hold
 * the same {@link Message} as a join ack or a send ack carries.
 */
import type { Message, MessageNew } from '../types.ts';

/**
 * A stored message's broadcast form: its defaults left out (the server's side). Built key by
 * key (never by deleting keys, which leaves V8 a slow dictionary object to encode for every
 * viewer); the keys keep the message's order, the sender last but `likes` and `reward`.
 */
export function leanMessage(message: Message): MessageNew {
  const lean: Record<string, unknown> = {};
  for (const key in message) {
    if (key === 'user' || key === 'likes' || key === 'reward') continue;
    const value = (message as unknown as Record<string, unknown>)[key];
    // Optional fields (`replyTo`, `reactions`, …) travel only when they hold something.
    if (value === null || value === undefined || (typeof value === 'object' && isEmpty(value))) continue;
    lean[key] = value;
  }
  const { avatarUrl, badges, ...sender } = message.user;
  const user: MessageNew['user'] = sender;
  if (avatarUrl !== null) user.avatarUrl = avatarUrl;
  if (badges.length > 0) user.badges = badges;
  lean.user = user;
  if (message.likes !== 0) lean.likes = message.likes;
  if (message.reward !== null) lean.reward = message.reward;
  return lean as unknown as MessageNew;
}

/** Whether an object (or array) has no own enumerable keys. */
function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

/** The {@link Message} a lean `message:new` stands for: its defaults put back (the client's side). */
export function expandMessage(lean: MessageNew): Message {
  const { avatarUrl = null, badges = [] } = lean.user;
  return { ...lean, user: { ...lean.user, avatarUrl, badges }, likes: lean.likes ?? 0, reward: lean.reward ?? null };
}
