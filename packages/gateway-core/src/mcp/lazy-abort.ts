/**
 * An AbortController created only when someone reads its signal. Most backends never look at the
 * signal of a fast call, and allocating a controller per request shows in the hot-path profile;
 * cancellation still works whichever comes first (abort before or after the signal is read).
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** The signal (created on first access, already aborted if `abort` ran before). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** True once aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Aborts (idempotent). */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
