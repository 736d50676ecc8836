import { Command } from 'commander';
import {
  sseToStdioCommand,
  streamableHttpToStdioCommand,
  wsToStdioCommand,
} from './commands/client-commands.js';
import {
  serveCommand,
  stdioToSseCommand,
  stdioToStreamableHttpCommand,
  stdioToWsCommand,
} from './commands/server-commands.js';
import { VERSION } from './version.js';

/**
 * Builds the `mcp-translate` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success (clean shutdown, or stdin ended in *-to-stdio modes), 1 runtime failure
 * (cannot listen, cannot start the server, remote unreachable), 2 usage error.
 */
export function createProgram(): Command {
  const program = new Command('mcp-translate')
    .description('Bridge MCP between stdio, SSE, streamable HTTP and WebSocket')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-translate stdio-to-streamable-http --port 9000 -- npx -y @modelcontextprotocol/server-everything
  $ mcp-translate stdio-to-sse --port 9000 --cmd "uvx mcp-server-time" --cors
  $ mcp-translate serve --port 9000 --shared-child --cmd "node server.js"
  $ mcp-translate streamable-http-to-stdio --url http://localhost:4444/servers/1/mcp --oauth2-bearer $TOKEN
  $ mcp-translate --stdio "node server.js" --outputTransport streamableHttp --port 9000   (supergateway style)
  $ mcp-translate --stdio "node server.js" --expose-sse --port 9000                      (ContextForge style)

Endpoints: /healthz answers 200 "ok"; logs always go to stderr.

Exit codes:
  0  success (clean shutdown on SIGINT/SIGTERM; stdin ended in *-to-stdio modes)
  1  runtime failure (cannot listen, cannot start the server command, remote unreachable)
  2  usage error (unknown option or bad argument)`,
    );
  for (const command of [
    stdioToSseCommand(),
    stdioToStreamableHttpCommand(),
    stdioToWsCommand(),
    serveCommand(),
    sseToStdioCommand(),
    streamableHttpToStdioCommand(),
    wsToStdioCommand(),
  ]) {
    program.addCommand(
      command.helpOption('-h, --help', 'show this help').showHelpAfterError('(run with --help for usage)'),
    );
  }
  return program;
}
