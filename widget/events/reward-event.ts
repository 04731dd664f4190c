import type { Reward } from 'live-chat-protocol';

/**
 * `lc-reward`: the user earned a reward (XP and/or coins) for a message; fired once per
 * message even though the server reports it both in the ack and as a `reward` event, and
 * other tabs of the same user get it too (deduplicated by `Reward.messageId`). `detail` is
 * the server's `Reward` (docs/protocol.md). Bubbles, composed.
 */
export class LcRewardEvent extends Event {
  constructor(readonly detail: Reward) {
    super('lc-reward', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-reward': LcRewardEvent;
  }
}
