import type { LazyAbort } from './lazy-abort.js';

/**
 * Requests being served on this replica that a client may cancel (notifications/cancelled),
 * keyed by session and request id. Entries live exactly as long as their request, so the map is
 * bounded by concurrency.
 */
export class InFlightRequests {
  readonly #controllers = new Map<string, LazyAbort>();

  /** Registers a request; returns the function that unregisters it. */
  add(sessionId: string, requestId: string | number, controller: LazyAbort): () => void {
    const key = `${sessionId}\u0000${typeof requestId}:${requestId}`;
    this.#controllers.set(key, controller);
    return () => {
      if (this.#controllers.get(key) === controller) this.#controllers.delete(key);
    };
  }

  /** Aborts the request if it runs here; true when it did. */
  cancel(sessionId: string, requestId: string | number, reason?: string): boolean {
    const key = `${sessionId}\u0000${typeof requestId}:${requestId}`;
    const controller = this.#controllers.get(key);
    if (controller === undefined) return false;
    this.#controllers.delete(key);
    controller.abort(new Error(reason ?? 'cancelled by the client'));
    return true;
  }

  /** Aborts every request of a session (session deleted/expired). */
  cancelSession(sessionId: string): void {
    const prefix = `${sessionId}\u0000`;
    for (const [key, controller] of this.#controllers) {
      if (key.startsWith(prefix)) {
        this.#controllers.delete(key);
        controller.abort(new Error('session ended'));
      }
    }
  }

  /** Requests in flight. */
  get size(): number {
    return this.#controllers.size;
  }
}
