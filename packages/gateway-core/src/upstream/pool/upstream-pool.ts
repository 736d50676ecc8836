import { type ClientDeps, McpUpstreamClient } from '../client/mcp-upstream-client.js';
import { ProcessBudget } from '../stdio/process-budget.js';
import type { CustomTransportFactory } from '../transport/custom-transport.js';
import { HttpDispatchers } from '../transport/http-dispatchers.js';
import type {
  UpstreamClient,
  UpstreamHealth,
  UpstreamHealthState,
  UpstreamPool,
  UpstreamSpec,
} from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { type HealthCheckListener, HealthMonitor } from './health-monitor.js';
import { type ResolvedPoolOptions, resolvePoolOptions, type UpstreamPoolOptions } from './pool-options.js';
import { connectionFingerprint, validateSpec } from './upstream-spec.js';

interface Entry {
  spec: UpstreamSpec;
  fingerprint: string;
  client: McpUpstreamClient;
}

/** Counters for metrics and tests. */
export interface UpstreamPoolStats {
  upstreams: number;
  connected: number;
  isolatedSessions: number;
  stdioProcesses: number;
  httpOrigins: number;
}

/**
 * The {@link UpstreamPool}: one {@link McpUpstreamClient} per upstream id, reused by every
 * downstream request; replaced (after in-flight calls drain) when connection-relevant spec fields
 * change; health-checked on an interval; bounded in upstreams, sessions, processes and sockets.
 * Every upstream is independent: a failing one never blocks or fails another.
 */
export class McpUpstreamPool implements UpstreamPool {
  /** The options in force (defaults applied). */
  readonly options: ResolvedPoolOptions;
  private readonly deps: ClientDeps;
  private readonly entries = new Map<string, Entry>();
  private readonly monitor: HealthMonitor;
  private readonly dispatchers: HttpDispatchers;
  private readonly processes: ProcessBudget;
  private readonly transports = new Map<string, CustomTransportFactory>();
  private closed = false;

  /**
   * @param options pool options (validated)
   * @throws UpstreamError `config` naming a bad option
   */
  constructor(options: UpstreamPoolOptions = {}) {
    this.options = resolvePoolOptions(options, __PKG_VERSION__);
    this.dispatchers = new HttpDispatchers({
      connectionsPerOrigin: this.options.http.connectionsPerOrigin,
      keepAliveTimeoutMs: this.options.http.keepAliveTimeoutMs,
      connectTimeoutMs: this.options.connectTimeoutMs,
      ...(options.connect ? { connect: options.connect } : {}),
    });
    this.processes = new ProcessBudget(this.options.stdio.maxProcesses, 'upstream pool');
    this.monitor = new HealthMonitor(this.options.health, this.options.logger);
    for (const [name, factory] of Object.entries(options.transports ?? {}))
      this.registerTransport(name, factory);
    this.deps = {
      options: this.options,
      dispatchers: this.dispatchers,
      processes: this.processes,
      health: this.monitor,
      transports: this.transports,
    };
  }

  /**
   * Registers the transport of `custom` specs whose `connector` is `name` (the reverse-proxy tunnels, an
   * embedder's own channel). Connections opened afterwards use it.
   *
   * @returns the registration's removal
   * @throws UpstreamError `config` when the name is empty or already registered
   */
  registerTransport(name: string, factory: CustomTransportFactory): () => void {
    if (typeof name !== 'string' || name === '' || typeof factory !== 'function')
      throw new UpstreamError('config', 'registerTransport needs a non-empty name and a factory function');
    if (this.transports.has(name))
      throw new UpstreamError('config', `a transport named ${JSON.stringify(name)} is already registered`);
    this.transports.set(name, factory);
    return () => {
      if (this.transports.get(name) === factory) this.transports.delete(name);
    };
  }

  get(spec: UpstreamSpec): Promise<UpstreamClient> {
    return this.getClient(spec);
  }

  /** Like {@link get}, typed as the concrete client (process ids, session control, health check). */
  getClient(spec: UpstreamSpec): Promise<McpUpstreamClient> {
    if (this.closed)
      return Promise.reject(new UpstreamError('closed', 'upstream pool is closed', { notDelivered: true }));
    let entry = this.entries.get(spec.id);
    if (entry === undefined || entry.spec !== spec) {
      try {
        entry = this.upsert(spec, entry);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const client = entry.client;
    return client.connected ? Promise.resolve(client) : client.connect().then(() => client);
  }

  health(id: string): UpstreamHealth {
    return this.monitor.get(id);
  }

  onHealthChange(fn: (id: string, state: UpstreamHealthState, health: UpstreamHealth) => void): () => void {
    return this.monitor.onChange(fn);
  }

  /**
   * Called after every active health check that ran, with its outcome: feed a registry's
   * `markHealth(id, { reachable, error, at })` from here; {@link onHealthChange} reports transitions only.
   */
  onHealthCheck(fn: HealthCheckListener): () => void {
    return this.monitor.onCheck(fn);
  }

  /** Runs one health check of `id` now and returns the resulting health. */
  checkHealth(id: string): Promise<UpstreamHealth> {
    return this.monitor.checkNow(id);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    this.monitor.forget(id);
    await entry?.client.close();
  }

  stats(): UpstreamPoolStats {
    let connected = 0;
    let isolatedSessions = 0;
    for (const { client } of this.entries.values()) {
      if (client.connected) connected += 1;
      isolatedSessions += client.sessionCount;
    }
    return {
      upstreams: this.entries.size,
      connected,
      isolatedSessions,
      stdioProcesses: this.processes.inUse,
      httpOrigins: this.dispatchers.size,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitor.close();
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.client.close()));
    await this.dispatchers.close();
  }

  private upsert(spec: UpstreamSpec, existing: Entry | undefined): Entry {
    validateSpec(spec);
    const fingerprint = connectionFingerprint(spec);
    if (existing !== undefined && existing.fingerprint === fingerprint) {
      existing.spec = spec;
      existing.client.updateSpec(spec);
      return existing;
    }
    if (existing === undefined && this.entries.size >= this.options.maxUpstreams) {
      throw new UpstreamError(
        'capacity',
        `upstream pool holds ${this.options.maxUpstreams} upstreams (limit reached)`,
        {
          upstreamId: spec.id,
          notDelivered: true,
        },
      );
    }
    const client = new McpUpstreamClient(spec, this.deps);
    const entry: Entry = { spec, fingerprint, client };
    this.entries.set(spec.id, entry);
    if (existing !== undefined) {
      this.options.logger.info(`upstream ${spec.id} changed; replacing its connections`, {
        upstream: spec.id,
      });
      void this.drainAndClose(existing.client);
    }
    this.monitor.watch(spec.id, () => client.healthCheck(this.options.health.timeoutMs));
    return entry;
  }

  /** Lets in-flight calls of a replaced client finish (bounded by the call timeout), then closes it. */
  private async drainAndClose(client: McpUpstreamClient): Promise<void> {
    const until = Date.now() + (client.spec.timeoutMs ?? this.options.timeoutMs);
    while (client.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50).unref());
    await client.close();
  }
}

/**
 * Creates the upstream pool.
 *
 * @example
 * ```ts
 * const pool = createUpstreamPool({ stdio: { enabled: true }, health: { intervalMs: 30_000 } });
 * pool.onHealthChange((id, state) => registry.setGatewayHealth(id, state));
 * const client = await pool.get(spec);                 // spec built (and cached) from the gateway record
 * const found = await client.discover();                // → upsert tools/resources/prompts
 * client.on('list_changed', () => refresh(spec.id));    // → discover again
 * const result = await client.callTool(name, args, { signal, sessionKey, onProgress, onServerRequest });
 * ```
 * @throws UpstreamError `config` naming a bad option
 */
export function createUpstreamPool(options: UpstreamPoolOptions = {}): McpUpstreamPool {
  return new McpUpstreamPool(options);
}
