/**
 * Upstream side of the MCP engine: connectors (streamable HTTP of both eras, legacy SSE,
 * WebSocket, supervised stdio, custom transports registered by name), the pool (reuse, isolation,
 * retries, health) and their types.
 */
export { McpUpstreamClient } from './client/mcp-upstream-client.js';
export { silentLogger, type UpstreamLogger } from './logger.js';
export type { HealthCheckListener, HealthCheckResult } from './pool/health-monitor.js';
export type { UpstreamPoolOptions } from './pool/pool-options.js';
export { createUpstreamPool, McpUpstreamPool, type UpstreamPoolStats } from './pool/upstream-pool.js';
export { connectionFingerprint, validateSpec } from './pool/upstream-spec.js';
export type { CustomTransportContext, CustomTransportFactory } from './transport/custom-transport.js';
export type { SendOptions, TransportHandlers, UpstreamTransport } from './transport/transport.js';
export type {
  ListChangedKind,
  UpstreamCallOptions,
  UpstreamClient,
  UpstreamDiscovery,
  UpstreamHealth,
  UpstreamHealthState,
  UpstreamPool,
  UpstreamProgress,
  UpstreamSpec,
  UpstreamTransportKind,
} from './types.js';
export {
  isUpstreamError,
  UpstreamError,
  type UpstreamErrorCode,
  type UpstreamErrorOptions,
} from './upstream-error.js';
