import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { GatewayLogger } from '../../observability/logger.js';

/** A change every replica must apply to its authentication caches. */
export type AuthInvalidation =
  | { kind: 'token'; id: string }
  | { kind: 'subject'; id: string }
  | { kind: 'roles' }
  | { kind: 'providers' }
  | { kind: 'all' };

/**
 * Delivers authentication invalidations (revoked tokens, changed users/roles/teams, edited custom roles or
 * SSO providers) to this process at once and, when Redis is configured, to every other replica through
 * pub/sub on `<prefix>auth:invalidate`. A lost message only matters until the short cache TTL
 * (AUTH_CACHE_USER_TTL) expires; after a Redis reconnect every replica clears its caches.
 */
export class AuthBus {
  readonly #listeners = new Set<(m: AuthInvalidation) => void>();
  readonly #instance = randomUUID();
  readonly #channel: string;

  private constructor(
    private readonly pub: Redis | undefined,
    prefix: string,
    private readonly logger?: GatewayLogger,
  ) {
    this.#channel = `${prefix}auth:invalidate`;
  }

  /** A bus local to this process (single replica). */
  static local(): AuthBus {
    return new AuthBus(undefined, '');
  }

  /** A bus shared through Redis; subscribes before returning. */
  static async redis(pub: Redis, sub: Redis, prefix: string, logger?: GatewayLogger): Promise<AuthBus> {
    const bus = new AuthBus(pub, prefix, logger);
    await sub.subscribe(bus.#channel);
    sub.on('message', (channel: string, text: string) => {
      if (channel !== bus.#channel) return;
      try {
        const m = JSON.parse(text) as AuthInvalidation & { from: string };
        if (m.from !== bus.#instance) bus.#deliver(m);
      } catch {
        // not ours
      }
    });
    // Messages published while we were disconnected are lost: drop every cached credential.
    sub.on('ready', () => bus.#deliver({ kind: 'all' }));
    return bus;
  }

  /** Registers a listener; returns its removal. */
  on(listener: (m: AuthInvalidation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Applies `m` here and broadcasts it to the other replicas. Never throws. */
  async publish(m: AuthInvalidation): Promise<void> {
    this.#deliver(m);
    if (!this.pub) return;
    try {
      await this.pub.publish(this.#channel, JSON.stringify({ ...m, from: this.#instance }));
    } catch (error) {
      this.logger?.warn({ err: (error as Error).message }, 'auth invalidation broadcast failed');
    }
  }

  #deliver(m: AuthInvalidation): void {
    for (const l of this.#listeners) {
      try {
        l(m);
      } catch (error) {
        this.logger?.warn({ err: (error as Error).message }, 'auth invalidation listener failed');
      }
    }
  }
}
