/**
 * @contextforge-internal/echo-http — a minimal streamable-HTTP MCP echo server on raw `node:http`,
 * answering both protocol eras, used as the upstream in benchmarks and tests.
 */
export { type EchoEra, type EchoServer, type EchoServerOptions, startEchoServer } from './echo-server.js';
export {
  ECHO_TOOL,
  ErrorCode,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
} from './protocol.js';
