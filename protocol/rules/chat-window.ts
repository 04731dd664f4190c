/**
 * The chat window of a room (docs/protocol.md, "Rules"): a room may chat from `opensAt` (ms,
 * inclusive) until `closesAt` (ms, exclusive); null means unbounded on that side. Outside it
 * `message:send` is refused with `chat_closed` (with `retryAfterMs` until it opens).
 */

/** Where a moment lies relative to a room's chat window. */
export type ChatWindowState = { open: true } | { open: false; opensInMs: number } | { open: false; closed: true };

/**
 * @param window `opensAt` / `closesAt` in ms since the epoch, null for unbounded.
 * @param now ms since the epoch.
 */
export function chatWindowState(window: { opensAt: number | null; closesAt: number | null }, now: number): ChatWindowState {
  if (window.opensAt !== null && now < window.opensAt) return { open: false, opensInMs: window.opensAt - now };
  if (window.closesAt !== null && now >= window.closesAt) return { open: false, closed: true };
  return { open: true };
}

/**
 * The session rule: a room's current session goes on unless there is none, it has ended, or
 * it started before a chat window that has since opened (the window opening starts a new
 * session, so the draw's leaderboard starts empty).
 * @param latest the room's newest session (times in ms), or null before the first.
 * @returns true when a message or heart at `now` must start a new session.
 */
export function needsNewSession(
  latest: { startedAt: number; endedAt: number | null } | null,
  opensAt: number | null,
  now: number,
): boolean {
  if (!latest || latest.endedAt !== null) return true;
  return opensAt !== null && opensAt <= now && latest.startedAt < opensAt;
}
