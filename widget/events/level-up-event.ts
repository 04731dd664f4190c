import type { Reward } from 'live-chat-protocol';

/** `detail` of `lc-level-up`: the level reached and the reward that reached it. */
export interface LcLevelUpDetail {
  /** The level reached. */
  level: number;
  /** The reward that crossed the level (see `lc-reward`). */
  reward: Reward;
}

/** `lc-level-up`: a reward took the user to a new level; the element shows a toast. */
export class LcLevelUpEvent extends Event {
  constructor(readonly detail: LcLevelUpDetail) {
    super('lc-level-up', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-level-up': LcLevelUpEvent;
  }
}
