import { boolSetting, intSetting, type Setting } from './setting.js';

/**
 * Settings of the gateway side of `mcp-reverse-proxy` tunnels (`WS /reverse-proxy/ws`). The switch keeps
 * ContextForge's name; the bounds are this gateway's own.
 */
export const REVERSE_PROXY_SETTINGS = {
  MCPGATEWAY_REVERSE_PROXY_ENABLED: boolSetting(
    false,
    'Accept mcp-reverse-proxy tunnels on WS /reverse-proxy/ws (bearer token with gateways.create); each registered server becomes a gateway.',
  ),
  REVERSE_PROXY_MAX_SESSIONS: intSetting(
    1,
    100_000,
    100,
    'Upper bound of reverse-proxy tunnels connected to this replica (more upgrades are refused with 503).',
  ),
  REVERSE_PROXY_MAX_MESSAGE_SIZE: intSetting(
    1024,
    268_435_456,
    16_777_216,
    'Largest tunnel frame in bytes (a bigger one closes the tunnel with 1009).',
  ),
  REVERSE_PROXY_IDLE_TIMEOUT: intSetting(
    5,
    3600,
    90,
    'Seconds a tunnel may stay silent (no frame, heartbeat or pong) before it is dropped; the gateway pings every third of it.',
  ),
} as const satisfies Record<string, Setting>;
