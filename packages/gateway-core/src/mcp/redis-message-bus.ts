import type { Redis } from 'ioredis';
import type { BusHandler, MessageBus } from './message-bus.js';

/**
 * Bus over Redis pub/sub. Needs two connections because a subscribed ioredis connection cannot
 * publish: `publisher` (may be shared with other uses) and `subscriber` (dedicated; this bus puts
 * it into subscriber mode). Both are owned by the caller; `close()` only unsubscribes.
 */
export class RedisMessageBus implements MessageBus {
  readonly #handlers = new Map<string, Set<BusHandler>>();
  readonly #onMessage = (channel: string, payload: string): void => {
    const set = this.#handlers.get(channel);
    if (set === undefined) return;
    for (const handler of set) {
      try {
        handler(payload);
      } catch {
        // A failing handler must not stop delivery to the others (errors are the handler's job).
      }
    }
  };

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on('message', this.#onMessage);
  }

  async publish(channel: string, payload: string): Promise<void> {
    await this.publisher.publish(channel, payload);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    let set = this.#handlers.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    const wrapped: BusHandler = (p) => handler(p);
    set.add(wrapped);
    return async () => {
      set.delete(wrapped);
      if (set.size === 0 && this.#handlers.get(channel) === set) {
        this.#handlers.delete(channel);
        await this.subscriber.unsubscribe(channel);
      }
    };
  }

  async close(): Promise<void> {
    const channels = [...this.#handlers.keys()];
    this.#handlers.clear();
    this.subscriber.off('message', this.#onMessage);
    if (channels.length > 0) await this.subscriber.unsubscribe(...channels).catch(() => undefined);
  }
}
