/**
 * A per-key mutex: `run(key, fn)` runs `fn` after every earlier `run` with the same key has
 * settled. Used to make "commit a room's message, then publish it" one step per room, so
 * `message:new` leaves in seq order whatever the ledger's latency.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
