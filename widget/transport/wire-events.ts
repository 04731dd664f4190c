import { expandMessage, type MessageNew, type ServerToClientEvents } from 'live-chat-protocol';

/**
 * The one place where the widget normalises what the server sends (docs/protocol.md,
 * "`message:new`"): returns the listener to register on the socket for `event`.
 * `message:new` travels lean (`MessageNew`: defaults left out) and reaches `listener` as the
 * full `Message` the stores hold, as a join ack or a send ack carries it; every other event
 * passes as it is.
 */
export function fromWire<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): (...args: never[]) => void {
  if (event !== 'message:new') return listener;
  const receive = listener as ServerToClientEvents['message:new'];
  return (lean: MessageNew) => receive(expandMessage(lean));
}
