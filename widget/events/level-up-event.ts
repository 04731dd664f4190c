import type { Reward } from '../../server/protocol.ts';

export interface LcLevelUpDetail {
  /** The level reached. */
  level: number;
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
