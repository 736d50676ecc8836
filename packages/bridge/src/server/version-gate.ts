import {
  ErrorCode,
  errorResponse,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcResponse,
} from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { Upstream } from '../upstream/upstream.js';
import { MODERN_PROTOCOL_VERSION } from './modern-era.js';

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const PROBE_ID = '__bridge_discover__';
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Answers 2026-07-28 requests for a protocol version the stdio server does not serve with
 * `UnsupportedProtocolVersionError` (-32022, HTTP 400, `data.supported` and `data.requested`), as the
 * HTTP edge must. The supported versions are learned once with a `server/discover` probe carrying
 * a valid 2026-07-28 claim, which is also the first message the modern child sees, so it pins that
 * connection to the modern era whatever clients send first. A server that does not answer the
 * probe (a 2025-era server) is not gated.
 */
export class VersionGate {
  private versions?: Promise<string[] | undefined>;

  constructor(
    private readonly upstream: () => Upstream,
    private readonly logger?: Logger,
  ) {}

  /** Returns the error response for an unsupported version, or undefined to let the request through. */
  async check(message: JsonRpcMessage): Promise<JsonRpcResponse | undefined> {
    if (!('method' in message) || !('id' in message)) return undefined;
    const requested = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[
      META_VERSION
    ];
    if (typeof requested !== 'string') return undefined;
    this.versions ??= this.probe();
    const supported = await this.versions;
    if (!supported || supported.includes(requested)) return undefined;
    return errorResponse(
      message.id,
      ErrorCode.UnsupportedProtocolVersion,
      `Unsupported protocol version "${requested}"; this server supports ${supported.join(', ')}`,
      { supported, requested },
    );
  }

  private async probe(): Promise<string[] | undefined> {
    try {
      const session = await this.upstream().open({ id: 'version-probe' });
      const answer = new Promise<JsonRpcMessage | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), PROBE_TIMEOUT_MS);
        session.onmessage = (m) => {
          if (isResponse(m) && m.id === PROBE_ID) {
            clearTimeout(timer);
            resolve(m);
          }
        };
      });
      await session.send({
        jsonrpc: '2.0',
        id: PROBE_ID,
        method: 'server/discover',
        params: {
          _meta: {
            [META_VERSION]: MODERN_PROTOCOL_VERSION,
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      });
      const response = (await answer) as JsonRpcResponse | undefined;
      await session.close();
      const versions = (response?.result as { supportedVersions?: unknown } | undefined)?.supportedVersions;
      if (Array.isArray(versions) && versions.every((v) => typeof v === 'string'))
        return versions as string[];
      this.logger?.debug('server/discover probe gave no supported versions; not gating versions');
    } catch (error) {
      this.logger?.debug('server/discover probe failed', { error: (error as Error).message });
    }
    return undefined;
  }
}
