import { boolSetting, intSetting, type Setting, stringSetting } from './setting.js';

/**
 * Settings of the MCP endpoints and of the upstream connections (issue 5). ContextForge's names where
 * it has one (`TOOL_TIMEOUT`, `MAX_TOOL_RETRIES`, `SESSION_TTL`, `SSE_KEEPALIVE_INTERVAL`).
 */
export const MCP_SETTINGS = {
  TOOL_TIMEOUT: intSetting(
    1,
    86_400,
    60,
    'Seconds one upstream call (tools/call, resources/read, prompts/get, …) may take, retries included.',
  ),
  MAX_TOOL_RETRIES: intSetting(
    0,
    10,
    2,
    'Extra attempts of an upstream call after a failure that provably did not reach it (or a timeout of an idempotent one).',
  ),
  UPSTREAM_CONNECT_TIMEOUT: intSetting(1, 3600, 15, 'Seconds to connect to an upstream (spawn + handshake).'),
  SESSION_TTL: intSetting(
    10,
    604_800,
    1800,
    'Seconds an idle downstream MCP session (2025 eras, HTTP+SSE, WebSocket) lives before it is reaped.',
  ),
  SSE_KEEPALIVE_INTERVAL: intSetting(1, 3600, 25, 'Seconds between keep-alive comments on open SSE streams.'),
  MCP_ALLOWED_HOSTS: stringSetting(
    'loopback',
    'DNS-rebinding protection of the MCP endpoints: `loopback` (a loopback connection must name a loopback Host), `any`, or a comma-separated list of allowed Host names.',
  ),
  MCPGATEWAY_STDIO_ENABLED: boolSetting(
    false,
    'Let the gateway spawn STDIO upstreams itself (registering one needs a platform administrator).',
  ),
  STDIO_MAX_PROCESSES: intSetting(1, 10_000, 64, 'Upper bound of stdio upstream processes of this replica.'),
  STDIO_MAX_PROCESSES_PER_SERVER: intSetting(1, 1000, 8, 'Upper bound of processes per stdio upstream.'),
  STDIO_IDLE_TTL: intSetting(1, 86_400, 600, 'Seconds an unused stdio upstream process keeps running.'),
  UPSTREAM_DISCOVERY_ON_START: boolSetting(
    true,
    'Connect to every enabled gateway at start and refresh its tools, resources and prompts.',
  ),
} as const satisfies Record<string, Setting>;
