import type { BridgeServerOptions } from '@contextforge/bridge';
import { Command } from 'commander';
import { runServer } from '../run-server.js';
import { addServerOptions, type ServerCliOptions, toServerOptions } from './server-options.js';

interface TransportCliOptions extends ServerCliOptions {
  ssePath: string;
  messagePath: string;
  mcpPath: string;
  wsPath: string;
  stateless?: boolean;
  jsonResponse?: boolean;
  exposeSse?: boolean;
  exposeStreamableHttp?: boolean;
  exposeWs?: boolean;
}

type Transports = Pick<BridgeServerOptions, 'streamableHttp' | 'sse' | 'websocket'>;

function serverCommand(
  name: string,
  description: string,
  configure: (command: Command) => Command,
  transports: (options: TransportCliOptions) => Transports,
  example: string,
): Command {
  const command = addServerOptions(configure(new Command(name).description(description)));
  command.addHelpText('after', `\nExample:\n  $ ${example}\n`);
  return command.action(async (commandArgs: string[], options: TransportCliOptions) => {
    const base = toServerOptions(options, commandArgs, 'mcp-translate');
    await runServer({ ...base, ...transports(options) });
  });
}

const ssePaths = (c: Command) =>
  c
    .option('--sse-path <path>', 'path of the SSE stream', '/sse')
    .option('--message-path <path>', 'path where SSE clients POST messages', '/message');
const httpPaths = (c: Command) =>
  c
    .option('--mcp-path <path>', 'path of the streamable HTTP endpoint', '/mcp')
    .option('--stateless', 'no sessions: every POST stands alone (implies one shared child)')
    .option('--json-response', 'answer with application/json instead of an SSE stream');

/** `stdio-to-sse`: legacy HTTP+SSE transport in front of a stdio server. */
export function stdioToSseCommand(): Command {
  return serverCommand(
    'stdio-to-sse',
    'expose a stdio MCP server over the legacy SSE transport (GET /sse + POST /message)',
    ssePaths,
    (o) => ({ sse: { ssePath: o.ssePath, messagePath: o.messagePath } }),
    'mcp-translate stdio-to-sse --port 9000 -- npx -y @modelcontextprotocol/server-everything',
  );
}

/** `stdio-to-streamable-http`: streamable HTTP (both eras) in front of a stdio server. */
export function stdioToStreamableHttpCommand(): Command {
  return serverCommand(
    'stdio-to-streamable-http',
    'expose a stdio MCP server over streamable HTTP (sessions, or --stateless; MCP 2026-07-28 requests served statelessly)',
    httpPaths,
    (o) => ({ streamableHttp: { path: o.mcpPath, stateless: o.stateless, jsonResponse: o.jsonResponse } }),
    'mcp-translate stdio-to-streamable-http --port 9000 --shared-child --cmd "uvx mcp-server-time"',
  );
}

/** `stdio-to-ws`: WebSocket in front of a stdio server. */
export function stdioToWsCommand(): Command {
  return serverCommand(
    'stdio-to-ws',
    'expose a stdio MCP server over WebSocket (one session per connection)',
    (c) => c.option('--ws-path <path>', 'path of the WebSocket endpoint', '/message'),
    (o) => ({ websocket: { path: o.wsPath } }),
    'mcp-translate stdio-to-ws --port 9000 -- node server.js',
  );
}

/** `serve`: one stdio server on several transports at once. */
export function serveCommand(): Command {
  return serverCommand(
    'serve',
    'expose one stdio MCP server on several transports at once (default: streamable HTTP, SSE and WebSocket)',
    (c) =>
      httpPaths(ssePaths(c))
        .option('--ws-path <path>', 'path of the WebSocket endpoint', '/ws')
        .option('--expose-sse', 'serve the legacy SSE transport')
        .option('--expose-streamable-http', 'serve streamable HTTP')
        .option('--expose-ws', 'serve WebSocket'),
    (o) => {
      const all = !o.exposeSse && !o.exposeStreamableHttp && !o.exposeWs;
      return {
        streamableHttp:
          all || o.exposeStreamableHttp
            ? { path: o.mcpPath, stateless: o.stateless, jsonResponse: o.jsonResponse }
            : undefined,
        sse: all || o.exposeSse ? { ssePath: o.ssePath, messagePath: o.messagePath } : undefined,
        websocket: all || o.exposeWs ? { path: o.wsPath } : undefined,
      };
    },
    'mcp-translate serve --port 9000 --expose-sse --expose-streamable-http --cmd "npx -y server-x"',
  );
}
