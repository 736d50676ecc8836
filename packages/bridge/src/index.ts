/**
 * @contextforge/bridge — MCP transport toolkit shared by mcp-translate, mcp-wrapper and
 * mcp-reverse-proxy: open a client transport from a spec, expose a stdio server over streamable
 * HTTP / SSE / WebSocket, pipe two transports, survive crashes and disconnects, and the
 * reverse-tunnel message types.
 */

export { ChildOutputError, ChildProcessTransport, type ChildSpec } from './child/child-process-transport.js';
export { splitCommandLine } from './child/command-line.js';
export { isAlive, terminateProcessGroup } from './child/process-group.js';
export { SupervisedChild, type SupervisedChildOptions } from './child/supervised-child.js';
export {
  type ClientSpec,
  type ClientTransportOptions,
  inferProtocol,
  openClientTransport,
  type RemoteProtocol,
} from './client/open-client-transport.js';
export { parseMessages } from './client/parse-messages.js';
export { type SseClientOptions, SseClientTransport } from './client/sse-client-transport.js';
export { readSse, type SseEvent, SseParser } from './client/sse-parser.js';
export {
  causeOf,
  type HttpClientOptions,
  StreamableHttpClientTransport,
} from './client/streamable-http-client-transport.js';
export {
  type WebSocketClientOptions,
  WebSocketClientTransport,
} from './client/websocket-client-transport.js';
export { Backoff, type BackoffOptions, delay } from './core/backoff.js';
export { BridgeError, type BridgeErrorCode } from './core/bridge-error.js';
export * from './core/json-rpc.js';
export { createLogger, LOG_LEVELS, type Logger, type LogLevel, parseLogLevel } from './core/logger.js';
export type { CloseInfo, MessageTransport } from './core/message-transport.js';
export { NdjsonDecoder, type NdjsonDecoderHandlers, sniffId } from './core/ndjson-decoder.js';
export { type PipeOptions, pipe } from './core/pipe.js';
export { type ReconnectOptions, ResilientTransport } from './core/resilient-transport.js';
export { StdioServerTransport } from './core/stdio-server-transport.js';
export { BridgeServer, type BridgeServerOptions } from './server/bridge-server.js';
export { envFromHeaders, type HeaderEnvMapping, parseHeaderToEnv } from './server/header-to-env.js';
export { MODERN_PROTOCOL_VERSION } from './server/modern-era.js';
export * from './tunnel/tunnel-messages.js';
export { ChildPerSessionUpstream } from './upstream/child-per-session-upstream.js';
export { SharedChildUpstream } from './upstream/shared-child-upstream.js';
export type { SessionContext, Upstream, UpstreamSession } from './upstream/upstream.js';
export { PACKAGE_NAME, VERSION } from './version.js';
