/**
 * The downstream MCP engine: one endpoint for both protocol eras (2026-07-28 stateless and the
 * 2025 session-based revisions), legacy HTTP+SSE, WebSocket and plain JSON-RPC, with sessions
 * shared across replicas.
 */

export type { CorsOptions as McpCorsOptions } from './cors.js';
export { type JsonRpcErrorObject, McpError } from './errors.js';
export type { EventStore, StoredEvent } from './event-store.js';
export { createMcpEngine, type McpEngine, type McpEngineOptions } from './mcp-engine.js';
export { MemoryEventStore, type MemoryEventStoreOptions } from './memory-event-store.js';
export { MemoryMessageBus } from './memory-message-bus.js';
export { MemorySessionStore, type MemorySessionStoreOptions } from './memory-session-store.js';
export type { BusHandler, MessageBus } from './message-bus.js';
export type { OriginGuardOptions } from './origin-guard.js';
export {
  ErrorCode,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  MODERN_PROTOCOL_VERSIONS,
  SUPPORTED_PROTOCOL_VERSIONS,
} from './protocol.js';
export { RedisEventStore, type RedisEventStoreOptions } from './redis-event-store.js';
export { RedisMessageBus } from './redis-message-bus.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export type { SessionRecord, SessionStore, SessionTransport } from './session-store.js';
export type {
  Authenticate,
  ChangeEvent,
  McpBackend,
  Principal,
  ProgressUpdate,
  RequestContext,
  Scope,
  ServerDescription,
} from './types.js';
