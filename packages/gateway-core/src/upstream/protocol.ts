/** The stateless protocol revision: no initialize, no sessions, a `_meta` envelope on every request. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Session-based revisions we can speak, newest first (the first is offered in `initialize`). */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];

/** `_meta` keys of the 2026-07-28 request envelope and results. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** JSON-RPC and MCP error codes the client recognises. */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** 2026-07-28: a mirrored header disagrees with the body. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the requested revision is not served (data.supported lists what is). */
  UnsupportedProtocolVersion: -32022,
} as const;

/** True for revisions of the stateless era (2026-07-28 and later; revision ids sort as dates). */
export function isModernVersion(version: string): boolean {
  return version >= MODERN_PROTOCOL_VERSION;
}

/**
 * Methods whose params field is mirrored into the `Mcp-Name` header (2026-07-28 §HTTP request
 * metadata).
 */
export const MCP_NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/**
 * Methods that are safe to send again after a failure that may have reached the server: they
 * read or set state idempotently. `tools/call` is the notable absentee (a tool may have run).
 */
export const SAFE_METHODS: ReadonlySet<string> = new Set([
  'server/discover',
  'initialize',
  'ping',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
]);
