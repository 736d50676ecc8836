import type { RegisterMessage } from '@contextforge/bridge';
import type { Kysely } from 'kysely';
import type { WebSocket } from 'ws';
import type { AuthLayer } from '../auth/auth-layer-types.js';
import { TeamStore } from '../auth/stores/team-store.js';
import type { Database } from '../db/schema.js';
import { isGatewayError } from '../errors.js';
import type { GatewayServices } from '../gateway.js';
import type { GatewayUpstreams } from '../invoke/gateway-upstreams.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { Actor } from '../registry/common/actor.js';
import { newId } from '../registry/common/ids.js';
import { type GatewayRow, gatewayRepository } from '../registry/gateways/gateway-repository.js';
import { gatewayRecordCreateSchema } from '../registry/gateways/gateway-schemas.js';
import type { Principal } from '../security/authn/principal.js';
import type { McpUpstreamPool } from '../upstream/pool/upstream-pool.js';
import { TunnelSession, type TunnelSessionInfo } from './tunnel-session.js';
import { type RegistrationOutcome, TunnelSocket } from './tunnel-socket.js';
import type { TunnelDirectory } from './tunnel-transport.js';

/** Registry errors that refuse a registration for good (the proxy exits rather than redialling). */
const FINAL_CODES = new Set(['VALIDATION_FAILED', 'CONFLICT', 'UNPROCESSABLE', 'BAD_REQUEST']);

/** The registry transport of tunnel-backed gateways. */
export const REVERSE_PROXY_TRANSPORT = 'REVERSEPROXY';

/** What {@link ReverseProxyHub} needs. */
export interface ReverseProxyHubOptions {
  /** `MCPGATEWAY_REVERSE_PROXY_ENABLED`. */
  enabled: boolean;
  idleTimeoutMs: number;
  registerTimeoutMs: number;
  maxBufferedBytes: number;
  services: GatewayServices;
  db: Kysely<Database>;
  upstreams: GatewayUpstreams;
  pool: McpUpstreamPool;
  /** The security layer (undefined with `auth: false`: anyone may publish and re-attach). */
  auth: AuthLayer | undefined;
  logger: GatewayLogger;
}

/** A live tunnel as listings show it. */
export interface LiveTunnel extends TunnelSessionInfo {
  /** Epoch ms of the last frame, ping or pong from the proxy. */
  lastActivity: number;
  /** Requests waiting for an answer through it. */
  inFlight: number;
}

interface Live {
  session: TunnelSession;
  socket: TunnelSocket;
}

/**
 * The reverse-proxy tunnels of this replica and their gateways. A `register` creates a REVERSEPROXY
 * gateway named after the announced server (owner: the caller, team: their personal team, visibility
 * public, like `POST /v1/gateways`), or re-attaches the existing one of that name (its owner or an
 * administrator only), and discovery runs through the tunnel before the proxy is answered. When the
 * tunnel goes, the gateway stays (tools, virtual-server memberships and local edits survive) but is
 * marked unreachable, and every call in flight fails at once; the same name registering again brings it
 * back. Registrations and disconnections of one name are serialised.
 */
export class ReverseProxyHub implements TunnelDirectory {
  readonly #o: ReverseProxyHubOptions;
  readonly #sockets = new Set<TunnelSocket>();
  /** Gateway id → its live tunnel. */
  readonly #live = new Map<string, Live>();
  /** Gateway id → when and why its tunnel last went away (for error messages). */
  readonly #gone = new Map<string, { at: string; reason: string }>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #writes = new Set<Promise<unknown>>();
  readonly #teams: TeamStore | undefined;
  readonly #stop: () => void;
  #closing = false;

  /** @param options settings, registry and upstream manager */
  constructor(options: ReverseProxyHubOptions) {
    this.#o = options;
    this.#teams = options.auth ? new TeamStore({ db: options.db }) : undefined;
    this.#stop = options.services.gateways.onChange(async (change) => {
      if (change.kind !== 'deleted') return;
      this.#gone.delete(change.id);
      this.#live.get(change.id)?.socket.refuse(`gateway ${change.id} was deleted on the gateway`);
    });
  }

  /** `MCPGATEWAY_REVERSE_PROXY_ENABLED`. */
  get enabled(): boolean {
    return this.#o.enabled;
  }

  /** Open tunnels, registered or not (bounded by `REVERSE_PROXY_MAX_SESSIONS`). */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** Takes an upgraded WebSocket of an authorized caller. */
  accept(ws: WebSocket, principal: Principal, remoteAddress: string | undefined): TunnelSocket {
    const socket = new TunnelSocket({
      ws,
      principal,
      remoteAddress,
      idleTimeoutMs: this.#o.idleTimeoutMs,
      registerTimeoutMs: this.#o.registerTimeoutMs,
      maxBufferedBytes: this.#o.maxBufferedBytes,
      logger: this.#o.logger,
      register: (s, message) => this.#register(s, message),
      closed: (s, reason) => this.#closed(s, reason),
    });
    this.#sockets.add(socket);
    if (this.#closing) socket.close(1001, 'gateway shutting down');
    return socket;
  }

  sessionFor(gatewayId: string): TunnelSession | undefined {
    return this.#live.get(gatewayId)?.session;
  }

  whyAbsent(gatewayId: string): string {
    if (!this.#o.enabled)
      return 'reverse-proxy tunnels are disabled on this gateway (MCPGATEWAY_REVERSE_PROXY_ENABLED=false)';
    const gone = this.#gone.get(gatewayId);
    if (gone) return `reverse proxy is not connected (it disconnected at ${gone.at}: ${gone.reason})`;
    return 'reverse proxy is not connected to this gateway replica (run mcp-reverse-proxy for it, pointed at this gateway)';
  }

  /** The registered tunnels, oldest first. */
  list(): LiveTunnel[] {
    return [...this.#live.values()]
      .map(({ session, socket }) => ({
        ...session.info,
        lastActivity: socket.lastActivity,
        inFlight: session.inFlight,
      }))
      .sort((a, b) => a.connectedAt.getTime() - b.connectedAt.getTime());
  }

  /** The registered tunnel with proxy session id `id`. */
  find(id: string): LiveTunnel | undefined {
    return this.list().find((t) => t.id === id);
  }

  /**
   * Ends a tunnel: the proxy is told its registration is over (it exits instead of redialling) and the
   * gateway is marked unreachable. @returns false when no such tunnel is registered here
   */
  async disconnect(id: string, reason: string): Promise<boolean> {
    const live = [...this.#live.values()].find((l) => l.session.info.id === id);
    if (live === undefined) return false;
    live.socket.refuse(reason);
    await live.socket.whenClosed;
    await Promise.all([...this.#writes]);
    return true;
  }

  /** Closes every tunnel (the proxies redial another replica or later) and waits for the bookkeeping. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stop();
    const sockets = [...this.#sockets];
    for (const socket of sockets) socket.close(1001, 'gateway shutting down');
    await Promise.all(sockets.map((s) => s.whenClosed));
    await Promise.all([...this.#writes]);
  }

  async #register(socket: TunnelSocket, message: RegisterMessage): Promise<RegistrationOutcome> {
    if (this.#closing) return { ok: false, message: 'the gateway is shutting down', retry: true };
    const name = message.payload.server.name.trim();
    const outcome = await this.#withLock(name, async () => {
      if (!socket.open) return { ok: false, message: 'the tunnel closed during registration' };
      const existing = await gatewayRepository.findByName(this.#o.db, name);
      if (existing) return this.#reattach(socket, message, existing);
      return this.#create(socket, message, name);
    });
    // Closed while the registration ran: its close found nothing registered yet, so clean up here.
    if (!socket.open && socket.session !== undefined)
      this.#closed(socket, 'the tunnel closed during registration');
    return outcome;
  }

  async #create(socket: TunnelSocket, message: RegisterMessage, name: string): Promise<RegistrationOutcome> {
    const p = socket.principal;
    const { server, tags } = message.payload;
    const team =
      p.email && !p.isAdmin ? ((await this.#teams?.personalTeamOf(p.email))?.id ?? undefined) : undefined;
    const parsed = gatewayRecordCreateSchema.safeParse({
      name,
      transport: REVERSE_PROXY_TRANSPORT,
      visibility: 'public',
      ...(server.description ? { description: server.description } : {}),
      ...(tags && tags.length > 0 ? { tags } : {}),
      ...(p.email ? { owner_email: p.email } : {}),
      ...(team ? { team_id: team } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        message: `cannot register "${name}": ${issue?.path.join('.') || 'server'}: ${issue?.message ?? 'invalid'}`,
      };
    }
    const gatewayId = newId();
    // The tunnel is attached before the gateway exists: creating it runs discovery, through the tunnel.
    const session = this.#attach(socket, message, name, gatewayId);
    try {
      await this.#o.services.gateways.create({ ...parsed.data, id: gatewayId }, this.#actor(p));
    } catch (error) {
      this.#live.delete(gatewayId);
      socket.session = undefined;
      session.end('registration failed');
      // A refused request (bad name, a clash) is final; anything else (the database) may pass.
      const final = isGatewayError(error) && FINAL_CODES.has(error.code);
      return {
        ok: false,
        message: `cannot register "${name}": ${(error as Error).message}`,
        ...(final ? {} : { retry: true }),
      };
    }
    this.#o.logger.info(
      { gateway: name, gatewayId, session: message.sessionId, principal: session.info.principal },
      'reverse proxy registered a new gateway',
    );
    return { ok: true, gatewayId };
  }

  async #reattach(
    socket: TunnelSocket,
    message: RegisterMessage,
    existing: GatewayRow,
  ): Promise<RegistrationOutcome> {
    const p = socket.principal;
    const name = existing.name;
    if (existing.transport !== REVERSE_PROXY_TRANSPORT) {
      return {
        ok: false,
        message: `the name "${name}" belongs to gateway ${existing.id}, which is not a reverse proxy (transport ${existing.transport}); publish under another --name`,
      };
    }
    if (this.#o.auth && !p.isAdmin && (existing.owner_email === null || existing.owner_email !== p.email)) {
      return {
        ok: false,
        message: `gateway "${name}" belongs to ${existing.owner_email ?? 'nobody'}; only its owner or a platform administrator may publish under that name`,
      };
    }
    const previous = this.#live.get(existing.id);
    if (previous) {
      // The newest registration wins: a restarted proxy must not wait for its dead predecessor to time out.
      previous.session.end('replaced by a newer registration');
      this.#live.delete(existing.id);
      if (previous.session.info.id === message.sessionId)
        previous.socket.close(1000, 'replaced by a reconnect of the same proxy');
      else previous.socket.refuse(`replaced by a newer registration of "${name}"`);
    }
    this.#attach(socket, message, name, existing.id);
    const description = message.payload.server.description;
    if (description !== undefined && description !== existing.description)
      await this.#o.services.gateways
        .update(existing.id, { description }, this.#actor(p))
        .catch(() => undefined);
    if (Number(existing.enabled) === 1) await this.#reconnect(existing.id, name);
    this.#o.logger.info(
      { gateway: name, gatewayId: existing.id, session: message.sessionId },
      'reverse proxy reconnected its gateway',
    );
    return { ok: true, gatewayId: existing.id };
  }

  /** Brings a known gateway back: a passing check lifts fail-fast, then its offer is discovered again. */
  async #reconnect(gatewayId: string, name: string): Promise<void> {
    const { pool, upstreams } = this.#o;
    try {
      if (pool.health(gatewayId).state === 'unhealthy') await pool.checkHealth(gatewayId);
      const result = await upstreams.refresh(gatewayId);
      if (result.error)
        this.#o.logger.warn(
          { gateway: name, err: result.error },
          'reverse proxy reconnected; discovery failed',
        );
    } catch (error) {
      this.#o.logger.warn({ gateway: name, err: (error as Error).message }, 'reverse proxy refresh failed');
    }
  }

  #attach(socket: TunnelSocket, message: RegisterMessage, name: string, gatewayId: string): TunnelSession {
    const p = socket.principal;
    const session = new TunnelSession(
      {
        id: message.sessionId,
        name,
        gatewayId,
        principal: p.email ?? p.subject,
        connectedAt: new Date(),
        remoteAddress: socket.remoteAddress,
        serverInfo: message.payload.serverInfo,
      },
      socket.writer(message.sessionId),
      (warning) => this.#o.logger.warn({ gateway: name, session: message.sessionId }, warning),
    );
    socket.session = session;
    this.#live.set(gatewayId, { session, socket });
    this.#gone.delete(gatewayId);
    return session;
  }

  #closed(socket: TunnelSocket, reason: string): void {
    this.#sockets.delete(socket);
    const session = socket.session;
    if (session === undefined) return;
    // First, at once: calls in flight through this tunnel fail now with the reason.
    session.end(reason);
    const { gatewayId, name } = session.info;
    if (this.#live.get(gatewayId)?.session !== session) return; // replaced by a newer registration
    this.#live.delete(gatewayId);
    const at = new Date().toISOString();
    this.#gone.set(gatewayId, { at, reason });
    this.#o.logger.info({ gateway: name, gatewayId, reason }, 'reverse proxy disconnected');
    const write = this.#withLock(name, async () => {
      if (this.#live.has(gatewayId)) return; // back already
      await this.#o.services.gateways.markHealth(
        gatewayId,
        { reachable: false, error: `reverse proxy disconnected: ${reason}`, at },
        1,
      );
    }).catch(() => undefined); // deleted meanwhile, or the database is closing
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  #actor(p: Principal): Actor {
    return { user: p.email ?? (p.authMethod === 'anonymous' ? null : p.subject), via: 'reverse-proxy' };
  }

  /** Runs `work` after every earlier task of `key` settled. */
  #withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    // Names compare case-insensitively on some databases (MariaDB collations): lock alike.
    const key = name.toLowerCase();
    const before = this.#locks.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    void tail.then(() => {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    });
    return run;
  }
}
