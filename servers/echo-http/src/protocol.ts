/** The stateless protocol revision (no initialize, no sessions, `_meta` envelope on every request). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Session-based revisions this server answers `initialize` with (newest first). */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

/** `_meta` key carrying the request's protocol revision in the 2026-07-28 envelope. */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** `_meta` key carrying the server identity on 2026-07-28 results. */
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';

/** JSON-RPC / MCP error codes this server answers with. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  /** Bad or missing session (the SDK's convention for 2025-era servers). */
  SessionError: -32000,
  /** 2026-07-28: a mirrored header disagrees with the body. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the requested revision is not served here. */
  UnsupportedProtocolVersion: -32022,
} as const;

/** The one tool this server offers: it returns `arguments.text` as a text content block. */
export const ECHO_TOOL = {
  name: 'echo',
  title: 'Echo',
  description: 'Returns the text it is given.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string', description: 'Text to return' } },
    required: ['text'],
  },
  annotations: { readOnlyHint: true, idempotentHint: true },
} as const;
