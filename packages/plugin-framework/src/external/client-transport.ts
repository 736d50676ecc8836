/**
 * Opens the MCP client transport an external plugin entry describes: streamable HTTP (optionally
 * with mTLS, or over a Unix domain socket), SSE, or stdio (a child process).
 */
import { extname, isAbsolute, resolve } from 'node:path';
import {
  type FetchLike,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Agent, fetch as undiciFetch } from 'undici';
import type { McpClientConfig } from '../config/schema.js';
import { clientTlsFromEnv, clientTlsOptions } from './tls-files.js';

/** An opened transport and what must be closed with it. */
export interface OpenedTransport {
  transport: Transport;
  /** Human-readable target for messages (never includes credentials). */
  target: string;
  close(): Promise<void>;
}

/** Options of `openTransport`. */
export interface TransportOptions {
  pluginName: string;
  /** Directory of the YAML file (relative script/cwd/TLS paths). */
  baseDir: string;
  /** Environment (for `PLUGINS_CLIENT_MTLS_*` and as the stdio child's base environment). */
  env: NodeJS.ProcessEnv;
}

/** Creates (but does not start) the transport for `mcp`. */
export function openTransport(mcp: McpClientConfig, options: TransportOptions): OpenedTransport {
  if (mcp.proto === 'STDIO') return openStdio(mcp, options);
  const url = new URL(mcp.url as string);
  const tlsConfig = mcp.tls ?? (url.protocol === 'https:' ? clientTlsFromEnv(options.env) : undefined);
  const tls = tlsConfig ? clientTlsOptions(tlsConfig, options.baseDir, options.pluginName) : undefined;
  const agent =
    tls || mcp.uds
      ? new Agent({
          connect: { ...(tls ?? {}), ...(mcp.uds ? { socketPath: resolve(options.baseDir, mcp.uds) } : {}) },
        })
      : undefined;
  const fetchImpl: FetchLike | undefined = agent
    ? (input, init) =>
        undiciFetch(input as string, {
          ...(init as object),
          dispatcher: agent,
        }) as unknown as Promise<Response>
    : undefined;
  const transport =
    mcp.proto === 'SSE'
      ? new SSEClientTransport(url, fetchImpl ? { fetch: fetchImpl } : {})
      : new StreamableHTTPClientTransport(url, fetchImpl ? { fetch: fetchImpl } : {});
  return {
    transport,
    target: mcp.uds ? `${url.href} (uds ${mcp.uds})` : url.href,
    async close() {
      await transport.close().catch(() => {});
      await agent?.close().catch(() => {});
    },
  };
}

function openStdio(mcp: McpClientConfig, options: TransportOptions): OpenedTransport {
  const cwd = mcp.cwd ? resolve(options.baseDir, mcp.cwd) : options.baseDir;
  const [command, args] = mcp.cmd
    ? [mcp.cmd[0] as string, mcp.cmd.slice(1)]
    : scriptCommand(mcp.script as string, cwd);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, mcp.env ?? {});
  const transport = new StdioClientTransport({ command, args, env, cwd, stderr: 'inherit' });
  return {
    transport,
    target: `stdio: ${[command, ...args].join(' ')}`,
    async close() {
      await transport.close().catch(() => {});
    },
  };
}

/** How to run a `script`: by extension (node, python, sh), else executed directly. */
function scriptCommand(script: string, cwd: string): [string, string[]] {
  const path = isAbsolute(script) ? script : resolve(cwd, script);
  switch (extname(path)) {
    case '.js':
    case '.mjs':
    case '.cjs':
      return [process.execPath, [path]];
    case '.py':
      return ['python3', [path]];
    case '.sh':
      return ['sh', [path]];
    default:
      return [path, []];
  }
}
