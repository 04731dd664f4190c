/**
 * `detail` of `lc-like`: a like of a message (toggled) or a heart sent to the room, with the
 * count the server acknowledged.
 */
export interface LcLikeDetail {
  roomId: string;
  /** The liked message, or null for a heart sent to the room (session likes). */
  messageId: string | null;
  /** The count after the like, as the server acknowledged it. */
  likes: number;
  /** For a message: whether the user now likes it (likes toggle); always true for hearts. */
  liked: boolean;
}

/** `lc-like`: the user liked a message or sent a heart, and the server acknowledged it. */
export class LcLikeEvent extends Event {
  constructor(readonly detail: LcLikeDetail) {
    super('lc-like', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-like': LcLikeEvent;
  }
}
