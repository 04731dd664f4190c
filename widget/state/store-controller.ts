import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/**
 * Re-renders a Lit host whenever a nanostores store changes: our own 12-line version of
 * `@nanostores/lit`'s `StoreController` (that package is CommonJS only, see TOOLCHAIN.md).
 *
 * `select` is called again on every read, so a host whose `stores` property arrives late
 * (through `@lit/context`, or set by hand in a story) binds to the right store.
 *
 * @example
 * private messages = new StoreController(this, () => this.stores?.messages.$messages);
 * render() { return this.messages.value?.map(...) }
 */
export class StoreController<T> implements ReactiveController {
  #host: ReactiveControllerHost;
  #select: () => ReadableAtom<T> | undefined;
  #store?: ReadableAtom<T>;
  #off?: () => void;

  constructor(host: ReactiveControllerHost, select: () => ReadableAtom<T> | undefined) {
    this.#host = host;
    this.#select = select;
    host.addController(this);
  }

  /** The store's current value; undefined while the host has no stores. */
  get value(): T | undefined {
    return this.#bind()?.get();
  }

  hostConnected(): void {
    this.#bind();
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = this.#store = undefined;
  }

  #bind(): ReadableAtom<T> | undefined {
    const store = this.#select();
    if (store !== this.#store) {
      this.#off?.();
      this.#store = store;
      this.#off = store?.listen(() => this.#host.requestUpdate());
    }
    return store;
  }
}
