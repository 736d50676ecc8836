import type { JsonRpcMessage } from '../upstream/json-rpc.js';
import type { TransportHandlers, UpstreamTransport } from '../upstream/transport/transport.js';
import type { UpstreamSpec } from '../upstream/types.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { TunnelChannel, TunnelSession } from './tunnel-session.js';

/** Where a {@link TunnelTransport} finds the live tunnel of its gateway. */
export interface TunnelDirectory {
  /** The registered tunnel of a gateway, if one is connected to this replica. */
  sessionFor(gatewayId: string): TunnelSession | undefined;
  /** Why a gateway has no tunnel now (disabled, never connected here, disconnected when and why). */
  whyAbsent(gatewayId: string): string;
}

/**
 * The upstream pool's wire for a REVERSEPROXY gateway: JSON-RPC over the gateway's registered tunnel.
 * Starting it is a lookup that succeeds or fails at once (`reconnectOnDemand`), so while the proxy is
 * away calls fail fast with the reason, and the first call after it is back simply works.
 */
export class TunnelTransport implements UpstreamTransport {
  readonly kind = 'custom' as const;
  readonly exchanges = false;
  readonly reconnectOnDemand = true;
  private channel: TunnelChannel | undefined;

  /**
   * @param spec the gateway's spec (its id selects the tunnel)
   * @param where `upstream 'name' (id)`, for messages
   * @param directory the live tunnels
   */
  constructor(
    private readonly spec: UpstreamSpec,
    private readonly where: string,
    private readonly directory: TunnelDirectory,
  ) {}

  async start(handlers: TransportHandlers): Promise<void> {
    const session = this.directory.sessionFor(this.spec.id);
    if (session === undefined) {
      throw new UpstreamError('unreachable', `${this.where}: ${this.directory.whyAbsent(this.spec.id)}`, {
        upstreamId: this.spec.id,
        notDelivered: true,
      });
    }
    let channel: TunnelChannel;
    try {
      channel = session.openChannel({
        onMessage: (message) => {
          if (this.channel === channel) handlers.onMessage(message);
        },
        onClose: (reason) => {
          if (this.channel !== channel) return;
          this.channel = undefined;
          handlers.onClose(
            new UpstreamError('unreachable', `${this.where}: reverse proxy disconnected (${reason})`, {
              upstreamId: this.spec.id,
            }),
          );
        },
      });
    } catch (error) {
      throw new UpstreamError('unreachable', `${this.where}: ${(error as Error).message}`, {
        upstreamId: this.spec.id,
        notDelivered: true,
        cause: error,
      });
    }
    this.channel = channel;
  }

  setProtocolVersion(): void {}

  send(message: JsonRpcMessage): Promise<void> {
    const channel = this.channel;
    if (channel === undefined) {
      return Promise.reject(
        new UpstreamError('unreachable', `${this.where}: ${this.directory.whyAbsent(this.spec.id)}`, {
          upstreamId: this.spec.id,
          notDelivered: true,
        }),
      );
    }
    return channel.send(message);
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    channel?.close();
  }
}
