import type { BusHandler, MessageBus } from './message-bus.js';

/**
 * In-process bus. Engines that share one instance behave like replicas sharing Redis pub/sub
 * (useful for tests and for several engines in one process). Delivery is asynchronous, as with
 * Redis, so code paths stay the same.
 */
export class MemoryMessageBus implements MessageBus {
  readonly #channels = new Map<string, Set<BusHandler>>();

  async publish(channel: string, payload: string): Promise<void> {
    const handlers = this.#channels.get(channel);
    if (handlers === undefined) return;
    for (const handler of handlers) {
      queueMicrotask(() => handler(payload));
    }
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let set = this.#channels.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#channels.set(channel, set);
    }
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const wrapped: BusHandler = (p) => handler(p);
    set.add(wrapped);
    return async () => {
      set.delete(wrapped);
      if (set.size === 0) this.#channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.#channels.clear();
  }

  /** Number of channels with subscribers (for bound tests). */
  get channelCount(): number {
    return this.#channels.size;
  }
}
