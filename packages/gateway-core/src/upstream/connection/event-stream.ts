import { backoffDelay } from '../backoff.js';
import type { UpstreamLogger } from '../logger.js';
import type { McpConnection } from './mcp-connection.js';

/**
 * Keeps the upstream's change-notification channel open while someone wants events: the legacy
 * streamable-HTTP GET stream, or a 2026-07-28 `subscriptions/listen` request (any transport) whose
 * filter asks for every list change plus the subscribed resource URIs. Single-channel legacy
 * transports (stdio, WebSocket, SSE) need nothing: notifications arrive inline. Reopens with
 * backoff when the stream ends; stops when nobody listens.
 */
export class EventStream {
  private wantedFlag = false;
  private resources: ReadonlySet<string> = new Set();
  private running: AbortController | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsupported = false;

  /**
   * @param connection the session whose events are wanted
   * @param logger where failures to open are reported (debug)
   * @param where display name
   */
  constructor(
    private readonly connection: McpConnection,
    private readonly logger: UpstreamLogger,
    private readonly where: string,
  ) {}

  /** True while events or resource updates are wanted. */
  get wanted(): boolean {
    return this.wantedFlag || this.resources.size > 0;
  }

  setWanted(wanted: boolean): void {
    this.wantedFlag = wanted;
    this.kick();
  }

  /** Replaces the subscribed URIs; a running 2026-07-28 listen is reopened with the new filter. */
  setResources(uris: ReadonlySet<string>): void {
    this.resources = new Set(uris);
    if (this.running && this.connection.era === 'modern') this.restart();
    else this.kick();
  }

  onConnected(): void {
    this.unsupported = false;
    this.kick();
  }

  onDisconnected(): void {
    this.running?.abort();
    this.running = undefined;
  }

  onAcknowledged(_params: Record<string, unknown>): void {
    this.attempt = 0;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running?.abort();
    this.running = undefined;
  }

  private restart(): void {
    this.running?.abort();
    this.running = undefined;
    this.kick();
  }

  private kick(): void {
    if (!this.wanted) {
      this.stop();
      return;
    }
    if (this.running || this.timer || this.unsupported || !this.connection.ready) return;
    const era = this.connection.era;
    if (era === 'legacy' && this.connection.singleChannel) return;
    void this.run();
  }

  private async run(): Promise<void> {
    const ac = new AbortController();
    this.running = ac;
    try {
      if (this.connection.era === 'modern') {
        const filter: Record<string, unknown> = {
          toolsListChanged: true,
          promptsListChanged: true,
          resourcesListChanged: true,
        };
        if (this.resources.size > 0) filter.resourceSubscriptions = [...this.resources];
        await this.connection.listen(filter, ac.signal);
      } else {
        const opened = await this.connection.openLegacyEventStream(ac.signal);
        if (opened === false || opened === undefined) {
          this.unsupported = true; // 405: the server has no standalone stream
          return;
        }
        this.attempt = 0;
      }
    } catch (err) {
      if (ac.signal.aborted) return;
      this.logger.debug(`${this.where}: event stream failed: ${(err as Error).message}`);
    } finally {
      if (this.running === ac) this.running = undefined;
    }
    if (ac.signal.aborted) return;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.wanted || this.connection.closed) return;
    const delay = backoffDelay(this.attempt++, { initialMs: 500, maxMs: 30_000 });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.wanted || this.connection.closed) return;
      if (this.connection.ready) return this.kick();
      // The session went away with the stream: reconnect so events keep flowing.
      this.connection.ensureReady(Date.now() + 30_000).then(
        () => this.kick(),
        () => this.scheduleRetry(),
      );
    }, delay);
    this.timer.unref();
  }
}
