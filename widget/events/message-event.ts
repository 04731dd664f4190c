import type { Message } from 'live-chat-protocol';

/** `detail` of `lc-message`: a message that arrived live, and whether the user sent it. */
export interface LcMessageDetail {
  message: Message;
  /** True when the user of this element sent it. */
  own: boolean;
}

/**
 * `lc-message`: a message arrived live (a `message:new` broadcast, or the ack of the user's
 * own send), once per message id. History loaded on join does not fire it. Bubbles, composed.
 */
export class LcMessageEvent extends Event {
  constructor(readonly detail: LcMessageDetail) {
    super('lc-message', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-message': LcMessageEvent;
  }
}
