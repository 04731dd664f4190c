/**
 * The lean `message:new` (docs/protocol.md, "`message:new`"; issue 8, "leaner fan-out"): a
 * broadcast is encoded once and sent to every viewer of the room, so every byte counts N
 * times. The server leaves out what a receiver can put back: `likes` when 0, `reward` when
 * null, `replyTo` when null, `reactions` when empty, and the sender's `avatarUrl` when null and
 * `badges` when empty. The widget expands it at its transport boundary, so its stores hold
 * the same {@link Message} as a join ack or a send ack carries.
 */
import type { Message, MessageNew } from '../types.ts';

/** A stored message's broadcast form: its defaults left out (the server's side). */
export function leanMessage(message: Message): MessageNew {
  const { likes, reward, user, ...rest } = message;
  const { avatarUrl, badges, ...sender } = user;
  const lean: MessageNew = { ...rest, user: sender };
  // Optional fields (`replyTo`, `reactions`, …) travel only when they hold something.
  for (const [key, value] of Object.entries(rest)) {
    if (value === null || (typeof value === 'object' && Object.keys(value).length === 0)) delete (lean as unknown as Record<string, unknown>)[key];
  }
  if (avatarUrl !== null) lean.user.avatarUrl = avatarUrl;
  if (badges.length > 0) lean.user.badges = badges;
  if (likes !== 0) lean.likes = likes;
  if (reward !== null) lean.reward = reward;
  return lean;
}

/** The {@link Message} a lean `message:new` stands for: its defaults put back (the client's side). */
export function expandMessage(lean: MessageNew): Message {
  const { avatarUrl = null, badges = [] } = lean.user;
  return { ...lean, user: { ...lean.user, avatarUrl, badges }, likes: lean.likes ?? 0, reward: lean.reward ?? null };
}
