import type { GatewayConfig } from '../config/settings.js';
import type { GatewayServices } from '../gateway.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { Actor } from '../registry/common/actor.js';
import { decodeCursor } from '../registry/common/pagination.js';
import type { GatewayOutput } from '../registry/gateways/gateway-schemas.js';
import { type SyncResult, syncDiscovered } from '../registry/gateways/gateway-sync.js';
import type { RegistryContext } from '../registry/registry-context.js';
import type { McpUpstreamClient } from '../upstream/client/mcp-upstream-client.js';
import type { McpUpstreamPool } from '../upstream/pool/upstream-pool.js';
import type { UpstreamSpec } from '../upstream/types.js';
import { toDiscovery } from './discovery-mapping.js';
import { VIA_META } from './federation.js';
import type { InvokeAccess } from './invoke-access.js';
import { ownerPrincipal } from './owner-principal.js';
import { upstreamSpecFor } from './upstream-spec-builder.js';

const DISCOVERY_ACTOR: Actor = { user: null, via: 'discovery' };

/** What {@link GatewayUpstreams} needs. */
export interface GatewayUpstreamsOptions {
  services: GatewayServices;
  context: RegistryContext;
  access: InvokeAccess;
  pool: McpUpstreamPool;
  config: GatewayConfig;
  logger: GatewayLogger;
  /** This deployment's id: discovery tells peer gateways who asks, and drops what would lead back here. */
  instanceId: string;
  /** An upstream reported an updated resource (legacy `notifications/resources/updated`). */
  onResourceUpdated(uri: string): void;
}

/** The outcome of a refresh. */
export interface RefreshResult {
  gateway: GatewayOutput;
  /** What changed in the registry; undefined when the upstream could not be reached. */
  sync?: SyncResult;
  /** Why discovery failed (no secrets). */
  error?: string;
}

/**
 * Connects the registry's gateways to the upstream pool: builds each gateway's connection spec from its
 * record and credentials, discovers and persists its tools, resources and prompts on registration, on
 * request, on `list_changed` and on recovery, records health transitions, and drops connections of
 * deleted or disabled gateways. A failing upstream only ever affects its own entities.
 */
export class GatewayUpstreams {
  readonly #o: GatewayUpstreamsOptions;
  readonly #specs = new Map<string, Promise<UpstreamSpec>>();
  /** Gateways whose client this process has discovered (the client learns x-mcp-header bindings then). */
  readonly #discovered = new Map<string, Promise<void>>();
  readonly #watching = new Map<string, { client: McpUpstreamClient; stop: () => void }>();
  readonly #refreshing = new Map<string, Promise<RefreshResult>>();
  readonly #stop: Array<() => void> = [];
  #closed = false;

  constructor(options: GatewayUpstreamsOptions) {
    this.#o = options;
    this.#stop.push(
      options.pool.onHealthChange((id, state, health) => {
        if (state === 'unknown') return;
        void this.#recordHealth(id, state === 'healthy', health.lastError).then(() => {
          // Back from an outage: what it offers may have changed meanwhile.
          if (state === 'healthy') void this.refresh(id).catch(() => undefined);
        });
      }),
      options.services.gateways.onChange(async (change) => {
        this.forget(change.id);
        if (change.kind === 'deleted') {
          await this.#disconnect(change.id);
          return;
        }
        const gateway = await options.services.gateways.get(change.id);
        if (!gateway.enabled) {
          await this.#disconnect(change.id);
          return;
        }
        await this.refresh(change.id);
      }),
    );
  }

  /** The pool this manager connects through. */
  get pool(): McpUpstreamPool {
    return this.#o.pool;
  }

  /**
   * The connected client of an enabled gateway (the hot path: the spec is built once per gateway
   * version, the connection is the pool's). Discovers once per process so modern upstreams get their
   * `Mcp-Param-*` headers.
   *
   * @throws GatewayError NOT_FOUND, UpstreamError
   */
  async client(gatewayId: string): Promise<McpUpstreamClient> {
    const spec = await this.#spec(gatewayId);
    const client = await this.#o.pool.getClient(spec);
    this.#watch(gatewayId, client);
    let discovered = this.#discovered.get(gatewayId);
    if (discovered === undefined) {
      discovered = client.discover({ meta: this.#discoveryMeta() }).then(
        () => undefined,
        (error: unknown) => {
          this.#discovered.delete(gatewayId);
          throw error;
        },
      );
      this.#discovered.set(gatewayId, discovered);
    }
    await discovered;
    return client;
  }

  /**
   * Connects, discovers and persists what the upstream offers now (coalescing concurrent refreshes of one
   * gateway). An unreachable upstream is recorded as such (`reachable`, `last_error`), not thrown.
   *
   * @throws GatewayError NOT_FOUND (gateway), CONFLICT (discovered names collide with other entities)
   */
  refresh(gatewayId: string): Promise<RefreshResult> {
    let running = this.#refreshing.get(gatewayId);
    if (running === undefined) {
      running = this.#refresh(gatewayId).finally(() => this.#refreshing.delete(gatewayId));
      this.#refreshing.set(gatewayId, running);
    }
    return running;
  }

  async #refresh(gatewayId: string): Promise<RefreshResult> {
    const gateway = await this.#o.services.gateways.get(gatewayId);
    if (!gateway.enabled) return { gateway, error: 'gateway is disabled' };
    let discovery: Awaited<ReturnType<McpUpstreamClient['discover']>>;
    try {
      const spec = await this.#spec(gatewayId);
      const client = await this.#o.pool.getClient(spec);
      this.#watch(gatewayId, client);
      discovery = await client.discover({
        timeoutMs: this.#o.config.HEALTH_CHECK_TIMEOUT * 1000,
        meta: this.#discoveryMeta(),
      });
      this.#discovered.set(gatewayId, Promise.resolve());
    } catch (error) {
      const message = (error as Error).message;
      this.#o.logger.warn({ gateway: gateway.name, err: message }, 'upstream discovery failed');
      const marked = await this.#recordHealth(gatewayId, false, message);
      return { gateway: marked ?? gateway, error: message };
    }
    const sync = await syncDiscovered(
      this.#o.context,
      gatewayId,
      toDiscovery(discovery, this.#o.instanceId),
      DISCOVERY_ACTOR,
    );
    this.#o.logger.info(
      {
        gateway: gateway.name,
        era: discovery.protocolVersion,
        tools: discovery.tools.length,
        resources: discovery.resources.length + discovery.resourceTemplates.length,
        prompts: discovery.prompts.length,
      },
      'upstream discovered',
    );
    return { gateway: await this.#o.services.gateways.get(gatewayId), sync };
  }

  /** Drops the cached connection spec of a gateway (its record or credentials changed). */
  forget(gatewayId: string): void {
    this.#specs.delete(gatewayId);
  }

  /**
   * Connects to every enabled gateway and refreshes it, a few at a time, in the background (start-up).
   * Failures are recorded per gateway.
   */
  async discoverAll(concurrency = 4): Promise<void> {
    const ids: string[] = [];
    let after: { key: string; id: string } | undefined;
    for (;;) {
      const page = await this.#o.services.gateways.list({
        limit: 500,
        includeInactive: false,
        ...(after ? { after } : {}),
      });
      ids.push(...page.items.map((g) => g.id));
      if (page.nextCursor === null || page.items.length === 0) break;
      after = decodeCursor(page.nextCursor);
    }
    let next = 0;
    const worker = async () => {
      while (!this.#closed && next < ids.length) {
        const id = ids[next++]!;
        await this.refresh(id).catch((error: unknown) =>
          this.#o.logger.warn({ gateway: id, err: (error as Error).message }, 'upstream refresh failed'),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  }

  /** Stops listening; the pool is closed by its owner. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#stop) stop();
    for (const w of this.#watching.values()) w.stop();
    this.#watching.clear();
  }

  /**
   * `_meta` of discovery requests: a peer ContextForge gateway then marks each entry with the deployments
   * it passes through and leaves out those leading back here, so two gateways registering each other do
   * not re-import each other's tools forever (A → B → A → …).
   */
  #discoveryMeta(): Record<string, unknown> {
    return { [VIA_META]: [this.#o.instanceId] };
  }

  #spec(gatewayId: string): Promise<UpstreamSpec> {
    let spec = this.#specs.get(gatewayId);
    if (spec === undefined) {
      spec = this.#buildSpec(gatewayId);
      this.#specs.set(gatewayId, spec);
      spec.catch(() => this.#specs.delete(gatewayId));
    }
    return spec;
  }

  async #buildSpec(gatewayId: string): Promise<UpstreamSpec> {
    const gateway = await this.#o.services.gateways.get(gatewayId);
    let auth: { headers: Record<string, string>; url: string | null } = { headers: {}, url: gateway.url };
    try {
      // Authorization-code OAuth has no shared credentials (each user's token travels per call): asking
      // for the owner's would start an OAuth client registration nobody completes.
      const oauth = gateway.oauth_config as { grant_type?: unknown } | undefined;
      if (gateway.auth_type !== 'oauth' || oauth?.grant_type !== 'authorization_code')
        auth = await this.#o.access.upstreamAuth(gatewayId, ownerPrincipal(gateway));
    } catch (error) {
      // Per-user OAuth gateways have no shared credentials: calls carry each user's token instead.
      this.#o.logger.debug(
        { gateway: gateway.name, err: (error as Error).message },
        'no shared upstream credentials',
      );
    }
    return upstreamSpecFor(gateway, auth, {
      timeoutMs: this.#o.config.TOOL_TIMEOUT * 1000,
      retries: this.#o.config.MAX_TOOL_RETRIES,
    });
  }

  /** Follows one client's change notifications (replaced when the pool replaced the client). */
  #watch(gatewayId: string, client: McpUpstreamClient): void {
    const current = this.#watching.get(gatewayId);
    if (current?.client === client) return;
    current?.stop();
    const offList = client.on('list_changed', () => {
      void this.refresh(gatewayId).catch((error: unknown) =>
        this.#o.logger.warn(
          { gateway: gatewayId, err: (error as Error).message },
          'refresh after list_changed failed',
        ),
      );
    });
    const offResource = client.on('resource_updated', (uri) => this.#o.onResourceUpdated(uri));
    this.#watching.set(gatewayId, {
      client,
      stop: () => {
        offList();
        offResource();
      },
    });
  }

  async #disconnect(gatewayId: string): Promise<void> {
    this.forget(gatewayId);
    this.#discovered.delete(gatewayId);
    this.#watching.get(gatewayId)?.stop();
    this.#watching.delete(gatewayId);
    await this.#o.pool.remove(gatewayId);
  }

  async #recordHealth(
    gatewayId: string,
    reachable: boolean,
    error?: string,
  ): Promise<GatewayOutput | undefined> {
    try {
      // The pool already applied UNHEALTHY_THRESHOLD to live traffic and checks: record the transition as is.
      return await this.#o.services.gateways.markHealth(
        gatewayId,
        reachable ? { reachable } : { reachable, error: error ?? 'unreachable' },
        1,
      );
    } catch {
      return undefined; // deleted meanwhile
    }
  }
}
