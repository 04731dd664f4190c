import type { Message, Reward } from 'live-chat-protocol';
import type { ChatStores } from '../state/chat-stores.ts';
import type { ChatTransport, ClientError } from './chat-transport.ts';

/** Codes after which a retry on the next connection may succeed. */
export const transient = (e: ClientError) => e.code === 'offline' || e.code === 'timeout';

/**
 * Send answers after which the message may be stored already: no ack in time, or `internal`
 * (the server can fail after committing and broadcasting it). Sent again with the same
 * `clientId`, which the server answers with the original message and reward.
 */
const maybeStored = (e: ClientError) => e.code === 'timeout' || e.code === 'internal';

/** ms before the first retry of a `maybeStored` send; doubles each time, up to 30 s. */
const RETRY_MS = 1000;

/** What the sender needs from the connection controller. */
export interface OutboxLink {
  readonly stores: ChatStores;
  /** The transport when connected and joined; undefined otherwise (sending waits). */
  readonly ready: ChatTransport | undefined;
  /** The server stored a message of ours: its ack's message and reward. */
  delivered(message: Message, reward: Reward | null | undefined): void;
  /** The server refused a send for good (`lc-error`, `source: 'send'`). */
  refused(error: ClientError): void;
  /** An `unauthorized` send: true when the controller reconnects with a fresh token. */
  reauthorize(): boolean;
}

/**
 * Sends the outbox (issue 2): queued messages go out one at a time, in order, while online,
 * with their `clientId`. A send whose ack timed out or was `internal` stays pending and goes
 * again with the same `clientId` after 1, 2, 4… s (at most 30 s), never handing its text back
 * (it may be stored); one refused for good gives its text back to an empty input.
 */
export class OutboxSender {
  #link: OutboxLink;
  #flushing = false;
  /** Set when a flush is asked for while one runs: the running one drains the outbox again. */
  #flushAgain = false;
  #retryTimer?: ReturnType<typeof setTimeout>;
  /** Timed-out sends in a row (the backoff's exponent). */
  #retries = 0;

  constructor(link: OutboxLink) {
    this.#link = link;
  }

  /**
   * Sends queued messages while online. Asked for while running (a new send, a rejoin), it
   * makes the running flush go round once more before it stops.
   */
  async flush(): Promise<void> {
    if (this.#flushing) return void (this.#flushAgain = true);
    this.#flushing = true;
    try {
      do {
        this.#flushAgain = false;
        await this.#drain();
      } while (this.#flushAgain);
    } finally {
      this.#flushing = false;
    }
  }

  /** Stops the retry timer (the transport went away). */
  stop(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  async #drain(): Promise<void> {
    const link = this.#link;
    const { outbox, ui } = link.stores;
    for (;;) {
      const t = link.ready;
      const next = outbox.$outbox.get().find((p) => p.state === 'queued');
      if (!t || !next) return;
      outbox.mark(next.clientId, 'sending');
      const ack = await t.send({ roomId: next.roomId, clientId: next.clientId, text: next.text, ...(next.replyTo && { replyTo: next.replyTo }) });
      if (ack.ok) {
        this.#retries = 0;
        outbox.remove(next.clientId);
        link.delivered(ack.message, ack.reward);
        continue;
      }
      const { error } = ack;
      if (transient(error) || maybeStored(error) || (error.code === 'unauthorized' && link.reauthorize())) {
        // Still pending (unless its broadcast came first and settled it): never given back.
        outbox.mark(next.clientId, 'queued');
        // Online but unanswered or failed: try again later, same clientId (the server dedupes).
        if (maybeStored(error)) {
          this.#retryTimer ??= setTimeout(() => {
            this.#retryTimer = undefined;
            void this.flush();
          }, Math.min(30_000, RETRY_MS * 2 ** this.#retries++));
        }
        return;
      }
      outbox.remove(next.clientId);
      ui.refuseSend(error, next.text);
      link.refused(error);
    }
  }
}
