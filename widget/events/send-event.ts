/** `detail` of `lc-send`: what the user is about to send, before it is queued (cancelable). */
export interface LcSendDetail {
  roomId: string;
  /** The message's idempotency key (UUID). */
  clientId: string;
  /** The text, trimmed. */
  text: string;
}

/**
 * `lc-send`: the user pressed send. Cancelable: `event.preventDefault()` vetoes the message
 * (it is not sent, not queued, and the draft stays in the input). Bubbles, composed.
 */
export class LcSendEvent extends Event {
  constructor(readonly detail: LcSendDetail) {
    super('lc-send', { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-send': LcSendEvent;
  }
}
