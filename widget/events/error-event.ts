import type { ClientError } from '../transport/chat-transport.ts';

/** `detail` of `lc-error`: what went wrong (`error`, a wire error) and during what (`source`). */
export interface LcErrorDetail {
  /** `code` is a wire error code, or `offline` / `timeout`; `invalid` for a setup mistake. */
  error: ClientError;
  /** What failed: `setup` (no server attribute), `connect`, `join`, `send`, `like`, `moderate` (a host tool). */
  source: 'setup' | 'connect' | 'join' | 'send' | 'like' | 'moderate';
}

/**
 * `lc-error`: something failed that the user or the site owner should know about. The
 * element also shows it (composer status, banner, or its error state). Bubbles, composed.
 */
export class LcErrorEvent extends Event {
  constructor(readonly detail: LcErrorDetail) {
    super('lc-error', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-error': LcErrorEvent;
  }
}
