import type { ConnectionStatus } from '../state/connection.ts';

/** `detail` of `lc-connection-change`: the connection status now and the one before it. */
export interface LcConnectionChangeDetail {
  status: ConnectionStatus;
  previous: ConnectionStatus;
}

/** `lc-connection-change`: the connection status changed (see `ConnectionStatus`). */
export class LcConnectionChangeEvent extends Event {
  constructor(readonly detail: LcConnectionChangeDetail) {
    super('lc-connection-change', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-connection-change': LcConnectionChangeEvent;
  }
}
