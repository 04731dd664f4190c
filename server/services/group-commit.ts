/**
 * Group commit (issue 8; docs/server.md, "Economy"): chat messages that arrive close together
 * are stored in ONE ledger transaction ({@link Ledger.appendChatMessages}), across rooms,
 * instead of one transaction each.
 *
 * The first message to wait opens a window of `windowMs`; the batch commits when the window
 * ends or as soon as `maxBatch` messages wait, whichever comes first. One batch commits at a
 * time: messages that arrive meanwhile form the next batch, which commits right after it, so
 * under load batches grow by themselves and at rest a message waits at most `windowMs`.
 *
 * Order and acks: the ledger appends a batch in arrival order, so seqs per room follow it.
 * When a batch has committed, `committed` runs for each result in that order, before any
 * caller's promise settles and before the next batch starts: announcing `messageStored` there
 * announces each room's messages in seq order, and no sender is acked before its message is
 * committed. When the transaction fails, nothing of the batch is stored and every caller's
 * promise rejects with the store's error (answered `internal`; the client retries with the
 * same `clientId`).
 */
import type { AppendChatMessageInput, AppendChatMessageResult, Ledger } from '../stores/ledger.ts';

export interface GroupCommitOptions {
  /** How long the first waiting message waits for others, in ms; 0: the current turn of the event loop only. */
  windowMs: number;
  /** At most this many messages per transaction (≥ 1). */
  maxBatch: number;
  /**
   * Runs for every result of a committed batch, in batch order, before the callers are
   * answered. Must not throw (a throw is reported to `failed` and the batch still answers).
   */
  committed(result: AppendChatMessageResult): void;
  /** Told about a `committed` callback that threw. */
  failed(err: unknown): void;
  /** Told the size of each batch as it starts to commit (metrics). */
  batchStarted?(size: number): void;
}

export interface GroupCommitter {
  /**
   * Appends one chat message in the next batch.
   * @returns the ledger's result for it, once its batch has committed and `committed` ran.
   * @throws (rejects with) the ledger's error when the batch's transaction failed: nothing of
   *   the batch was stored.
   */
  append(input: AppendChatMessageInput): Promise<AppendChatMessageResult>;
  /** Messages waiting or committing now. */
  readonly pending: number;
}

interface Waiting {
  input: AppendChatMessageInput;
  resolve(result: AppendChatMessageResult): void;
  reject(err: unknown): void;
}

/**
 * Builds a committer over `ledger` (see the module comment).
 * @throws when `maxBatch` < 1 or `windowMs` < 0 (a developer's mistake).
 */
export function createGroupCommitter(ledger: Pick<Ledger, 'appendChatMessages'>, options: GroupCommitOptions): GroupCommitter {
  const { windowMs, maxBatch } = options;
  if (!(maxBatch >= 1) || !(windowMs >= 0)) throw new Error(`group commit needs maxBatch ≥ 1 and windowMs ≥ 0 (got ${maxBatch}, ${windowMs})`);
  let waiting: Waiting[] = [];
  let committing = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  const clearWindow = () => {
    if (timer === null) return;
    if (windowMs === 0) clearImmediate(timer as NodeJS.Immediate);
    else clearTimeout(timer as NodeJS.Timeout);
    timer = null;
  };
  const openWindow = () => {
    if (timer !== null) return;
    timer = windowMs === 0 ? setImmediate(commitNext) : setTimeout(commitNext, windowMs);
  };

  function commitNext(): void {
    clearWindow();
    if (committing > 0 || waiting.length === 0) return;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    committing = batch.length;
    options.batchStarted?.(batch.length);
    let appended: Promise<AppendChatMessageResult[]>;
    try {
      appended = ledger.appendChatMessages(batch.map((w) => w.input));
    } catch (err) {
      appended = Promise.reject(err);
    }
    appended
      .then(
        (results) => {
          for (const result of results) {
            try {
              options.committed(result);
            } catch (err) {
              options.failed(err);
            }
          }
          batch.forEach((w, i) => w.resolve(results[i]!));
        },
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        committing = 0;
        // Whoever arrived meanwhile has waited a whole commit already: no new window for them.
        if (waiting.length > 0) commitNext();
      });
  }

  return {
    append(input) {
      return new Promise<AppendChatMessageResult>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (committing > 0) return;
        if (waiting.length >= maxBatch) commitNext();
        else openWindow();
      });
    },
    get pending() {
      return waiting.length + committing;
    },
  };
}
