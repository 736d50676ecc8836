/** Handler of messages published on a bus channel. */
export type BusHandler = (payload: string) => void;

/**
 * Publish/subscribe between replicas of one deployment: delivers a message published on a channel
 * to every subscriber of that channel on every replica (at most once; no persistence). The engine
 * uses one channel per replica (routed messages) and one broadcast channel.
 */
export interface MessageBus {
  publish(channel: string, payload: string): Promise<void>;
  /** Subscribes; resolves once the subscription is live, with a function that ends it. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
