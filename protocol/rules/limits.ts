/**
 * The default numbers of the rules (docs/protocol.md, "Rules"), shared by the server's
 * configuration defaults, the widget and the fake transport stories and tests use.
 * Units are in the names: characters are Unicode code points, `…Seconds` are s, `…Ms` are ms.
 */
export const DEFAULT_LIMITS = {
  /** Longest message, in characters after normalisation (`MAX_MESSAGE_LENGTH`). */
  maxMessageLength: 2000,
  /** Messages per user per room per sliding minute (`MESSAGES_PER_MINUTE`). */
  messagesPerMinute: 10,
  /** Messages in a join ack without `sinceSeq`, or after a gap (`HISTORY_LIMIT`). */
  historyLimit: 100,
  /** Newest messages per room a rejoin can replay with `sinceSeq` (`REPLAY_WINDOW`). */
  replayWindow: 500,
  /** Hearts per user per room per sliding minute (`ROOM_LIKES_PER_MINUTE`). */
  roomLikesPerMinute: 60,
  /** Reaction toggles (`message:react`, `message:like`) per user per room per sliding minute (`REACTIONS_PER_MINUTE`). */
  reactionsPerMinute: 60,
  /** XP per chat message (`XP_PER_MESSAGE`). */
  xpPerMessage: 1,
  /** Chat XP per user per UTC day (`DAILY_XP_CAP`). */
  dailyXpCap: 50,
  /** Coins per chat message when the cooldown allows (`COINS_PER_MESSAGE`). */
  coinsPerMessage: 1,
  /** Seconds between two coin awards of one user (`COIN_COOLDOWN_SECONDS`). */
  coinCooldownSeconds: 300,
  /** Rows of a session leaderboard on the wire (`LEADERBOARD_SIZE`). */
  leaderboardSize: 10,
  /**
   * Viewers up to which a room is "small" (`SMALL_ROOM_LIMIT`): at or under it, per-user
   * `presence:join` / `presence:leave` and `typing` are sent; above it, occupancy
   * (`room:stats`) alone.
   */
  smallRoomLimit: 200,
} as const;

/** Bounds of `metadata` on `POST /api/xp/events`: nesting depth and size as JSON (bytes of UTF-8). */
export const XP_METADATA_LIMITS = { maxDepth: 8, maxBytes: 4096 } as const;
