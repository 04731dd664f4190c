/** ms between two `typing:start` while the user keeps typing (the server keeps one for 5 000 ms). */
const RESEND_MS = 3000;
/** ms without a keystroke after which `typing:stop` goes. */
const IDLE_MS = 4000;

/**
 * Throttles the typing indicator the user sends (issue 10, "Typing"): at most one
 * `typing:start` every 3 s while keystrokes come, `typing:stop` after 4 s without one or when
 * the input is emptied, and nothing after a send (the server stops typing on a message).
 */
export class TypingSender {
  #send: (active: boolean) => void;
  /** ms since epoch of the last `typing:start`; 0: not typing. */
  #sentAt = 0;
  #idle?: ReturnType<typeof setTimeout>;

  /** `send(true)` emits `typing:start`, `send(false)` `typing:stop`. */
  constructor(send: (active: boolean) => void) {
    this.#send = send;
  }

  /** A keystroke: `active` when the input holds text, false when it was emptied. */
  input(active: boolean): void {
    clearTimeout(this.#idle);
    if (!active) return this.#stop();
    const now = Date.now();
    if (now - this.#sentAt >= RESEND_MS) {
      this.#sentAt = now;
      this.#send(true);
    }
    this.#idle = setTimeout(() => this.#stop(), IDLE_MS);
  }

  /** A message went: the server stopped the indicator itself. */
  sent(): void {
    clearTimeout(this.#idle);
    this.#sentAt = 0;
  }

  #stop(): void {
    clearTimeout(this.#idle);
    if (!this.#sentAt) return;
    this.#sentAt = 0;
    this.#send(false);
  }
}
