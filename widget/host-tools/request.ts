import type { ClientToServerEvents } from 'live-chat-protocol';
import type { LcElement } from '../components/base-element.ts';
import { LcErrorEvent } from '../events/error-event.ts';
import type { AckOf, PayloadOf } from '../transport/chat-transport.ts';

/**
 * Sends a staff event of the joined room (`roomId` filled in) through the chat's actions, on
 * behalf of a host-tools element. A refusal (`forbidden`, `not_found`, `offline`…) fires
 * `lc-error` with `source: 'moderate'` and shows its text in the chat's toast.
 * @returns the ack's payload, or null when it was refused.
 */
export async function hostRequest<E extends keyof ClientToServerEvents>(
  el: LcElement,
  event: E,
  payload: Omit<PayloadOf<E>, 'roomId'>,
): Promise<AckOf<E> | null> {
  const stores = el.stores;
  if (!stores) return null;
  // Fired from the outermost element (the `<live-chat>`), found before the wait: the menu that
  // asked may be gone by the answer (the list's one toolbar moves with the pointer).
  let target: Element = el;
  for (let root = el.getRootNode(); root instanceof ShadowRoot; root = target.getRootNode()) target = root.host;
  const ack = await stores.actions.request(event, payload);
  if (ack.ok) return ack as AckOf<E>;
  target.dispatchEvent(new LcErrorEvent({ error: ack.error, source: 'moderate' }));
  stores.ui.$toast.set({ id: Date.now(), text: stores.$locale.get().error(ack.error, Date.now() + (ack.error.retryAfterMs ?? 0)) });
  return null;
}
