/** Protocol constants shared by every transport of the engine. */

/** The stateless revision (per-request `_meta`, no sessions). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Modern (per-request metadata) revisions this engine serves, newest first. */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];

/** Session-based revisions this engine serves after an `initialize` handshake, newest first. */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
];

/** Every revision this engine serves, newest first (advertised by server/discover and -32022). */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...LEGACY_PROTOCOL_VERSIONS,
];

/** The revision a legacy request without `MCP-Protocol-Version` is assumed to speak (2025-11-25 §transports). */
export const DEFAULT_LEGACY_VERSION = '2025-03-26';

/** Reserved `_meta` keys (2026-07-28 basic/index §_meta). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/** JSON-RPC and MCP error codes the engine emits. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined legacy range: used for transport-level session errors, as the SDK does. */
  ConnectionClosed: -32000,
  RequestTimeout: -32001,
  /** 2025-11-25 resource not found (2026-07-28 uses -32602). */
  ResourceNotFoundLegacy: -32002,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

/** Syslog severities of MCP logging, least to most severe. */
export const LOG_LEVELS: readonly string[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/** Rank of a log level (higher is more severe), or -1 when unknown. */
export function logLevelRank(level: string): number {
  return LOG_LEVELS.indexOf(level);
}

/** True when `version` is a modern (stateless) revision this engine serves. */
export function isModernVersion(version: string | undefined): boolean {
  return version !== undefined && MODERN_PROTOCOL_VERSIONS.includes(version);
}

/** True when `version` is a session-based revision this engine serves. */
export function isLegacyVersion(version: string | undefined): boolean {
  return version !== undefined && LEGACY_PROTOCOL_VERSIONS.includes(version);
}

/** Methods that may answer with an MRTR `input_required` result (2026-07-28 mrtr §Supported Requests). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Methods whose 2026-07-28 results carry cache hints (2026-07-28 caching §Cacheable Results). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** Methods that carry `Mcp-Name` and the body field it mirrors (2026-07-28 streamable-http §Standard Request Headers). */
export const NAME_FIELD: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** Client capability each server→client request method needs. */
export const REQUEST_CAPABILITY: Readonly<Record<string, string>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};
