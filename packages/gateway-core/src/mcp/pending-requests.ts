import { randomBytes } from 'node:crypto';
import { McpError } from './errors.js';
import { ErrorCode } from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Correlates server→client requests with the client's responses. Ids embed the replica id
 * (`s:<replica>:<n>`) so a response POSTed to another replica can be routed back over the bus.
 * Bounded: beyond `max` outstanding requests new ones are refused, and each times out.
 */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>();
  #next = 0;

  constructor(
    readonly replicaId: string,
    private readonly max = 10_000,
  ) {}

  /** Registers a request and returns its id and the promise of the client's result. */
  create(timeoutMs: number, signal?: AbortSignal): { id: string; result: Promise<unknown> } {
    if (this.#pending.size >= this.max) {
      throw new McpError(
        ErrorCode.InternalError,
        `too many outstanding server→client requests (${this.max})`,
      );
    }
    const id = `s:${this.replicaId}:${++this.#next}`;
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new McpError(
            ErrorCode.RequestTimeout,
            `client did not answer server request ${id} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve, reject, timer });
      if (signal?.aborted) {
        this.reject(id, new McpError(ErrorCode.RequestTimeout, `server request ${id} cancelled`));
        return;
      }
      signal?.addEventListener(
        'abort',
        () => this.reject(id, new McpError(ErrorCode.RequestTimeout, `server request ${id} cancelled`)),
        { once: true },
      );
    });
    return { id, result };
  }

  /** Settles a pending request with the client's JSON-RPC response; false when unknown here. */
  settle(
    id: string,
    response: { result?: unknown; error?: { code: number; message: string; data?: unknown } },
  ): boolean {
    const p = this.#pending.get(id);
    if (p === undefined) return false;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    if (response.error !== undefined) {
      p.reject(new McpError(response.error.code, response.error.message, response.error.data));
    } else {
      p.resolve(response.result);
    }
    return true;
  }

  /** Rejects a pending request (cancel, session end). */
  reject(id: string, err: unknown): void {
    const p = this.#pending.get(id);
    if (p === undefined) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.reject(err);
  }

  /** Rejects everything (engine shutdown). */
  rejectAll(err: unknown): void {
    for (const id of [...this.#pending.keys()]) this.reject(id, err);
  }

  /** Outstanding requests. */
  get size(): number {
    return this.#pending.size;
  }

  /** The replica that issued `id`, or undefined when it is not one of ours. */
  static ownerOf(id: unknown): string | undefined {
    if (typeof id !== 'string' || !id.startsWith('s:')) return undefined;
    const end = id.indexOf(':', 2);
    return end > 2 ? id.slice(2, end) : undefined;
  }

  /** A fresh random replica id. */
  static newReplicaId(): string {
    return randomBytes(6).toString('hex');
  }
}
