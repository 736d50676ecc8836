import { splitCommandLine } from '../child/command-line.js';
import { SupervisedChild } from '../child/supervised-child.js';
import { BridgeError } from '../core/bridge-error.js';
import type { Logger } from '../core/logger.js';
import type { MessageTransport } from '../core/message-transport.js';
import { type ReconnectOptions, ResilientTransport } from '../core/resilient-transport.js';
import { SseClientTransport } from './sse-client-transport.js';
import { StreamableHttpClientTransport } from './streamable-http-client-transport.js';
import { WebSocketClientTransport } from './websocket-client-transport.js';

/** Remote MCP transports a client can speak. */
export type RemoteProtocol = 'sse' | 'streamable-http' | 'ws';

/** Where the MCP server is: a command line (stdio child) or a URL with its protocol. */
export type ClientSpec =
  | { command: string | string[]; env?: Record<string, string>; cwd?: string }
  | { url: string; protocol?: RemoteProtocol; headers?: Record<string, string> };

/** Tuning shared by all client transports. */
export interface ClientTransportOptions {
  /** Reconnect/restart policy, or false for none (default: backoff 0.5 s → 30 s, unlimited). */
  reconnect?: ReconnectOptions | false;
  /** Per-request timeout for HTTP, ms (0 = none). */
  timeoutMs?: number;
  /** HTTP retries after transient failures. */
  retries?: number;
  /** Most HTTP requests in flight. */
  concurrency?: number;
  /** SSE/WebSocket keep-alive, ms. */
  keepAliveMs?: number;
  /** Largest message, bytes. */
  maxMessageBytes?: number;
  logger?: Logger;
}

/** Guesses the protocol of a URL: ws(s):// → ws, a path ending in /sse → sse, else streamable-http. */
export function inferProtocol(url: string): RemoteProtocol {
  const parsed = new URL(url);
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') return 'ws';
  return /\/sse\/?$/.test(parsed.pathname) ? 'sse' : 'streamable-http';
}

/**
 * Opens (without starting) a client transport from a spec: a command line becomes a supervised
 * stdio child; a URL becomes a streamable-HTTP, SSE or WebSocket client, the latter two wrapped to
 * reconnect with backoff and replay `initialize`.
 *
 * @throws BridgeError INVALID_SPEC for an unusable URL or command
 */
export function openClientTransport(
  spec: ClientSpec,
  options: ClientTransportOptions = {},
): MessageTransport {
  const { logger } = options;
  if ('command' in spec) {
    const argv = Array.isArray(spec.command) ? spec.command : splitCommandLine(spec.command);
    if (argv.length === 0) throw new BridgeError('INVALID_SPEC', 'command is empty');
    return new SupervisedChild({
      command: argv[0]!,
      args: argv.slice(1),
      env: spec.env,
      cwd: spec.cwd,
      maxMessageBytes: options.maxMessageBytes,
      restart: options.reconnect,
      logger,
    });
  }
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new BridgeError(
      'INVALID_SPEC',
      `"${spec.url}" is not a valid URL; expected e.g. http://localhost:8000/mcp`,
    );
  }
  const protocol = spec.protocol ?? inferProtocol(spec.url);
  const wsScheme = url.protocol === 'ws:' || url.protocol === 'wss:';
  if (
    protocol === 'ws'
      ? !wsScheme && url.protocol !== 'http:' && url.protocol !== 'https:'
      : url.protocol !== 'http:' && url.protocol !== 'https:'
  ) {
    throw new BridgeError('INVALID_SPEC', `URL scheme ${url.protocol} does not fit protocol ${protocol}`);
  }
  switch (protocol) {
    case 'streamable-http':
      return new StreamableHttpClientTransport({
        url: spec.url,
        headers: spec.headers,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        concurrency: options.concurrency,
        logger,
      });
    case 'sse':
      return new ResilientTransport(
        () => new SseClientTransport({ url: spec.url, headers: spec.headers, logger }),
        `remote MCP server ${spec.url}`,
        options.reconnect ?? {},
        logger,
      );
    case 'ws': {
      const wsUrl = wsScheme ? spec.url : spec.url.replace(/^http/, 'ws');
      return new ResilientTransport(
        () =>
          new WebSocketClientTransport({
            url: wsUrl,
            headers: spec.headers,
            keepAliveMs: options.keepAliveMs,
            maxMessageBytes: options.maxMessageBytes,
            logger,
          }),
        `remote MCP server ${wsUrl}`,
        options.reconnect ?? {},
        logger,
      );
    }
  }
}
