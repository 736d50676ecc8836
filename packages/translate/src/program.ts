import { Command } from 'commander';
import { VERSION } from './version.js';

/**
 * Builds the `mcp-translate` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error (unknown option, bad argument).
 */
export function createProgram(): Command {
  return new Command('mcp-translate')
    .description('Bridge MCP between stdio, SSE, streamable HTTP and WebSocket')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-translate --version
  $ mcp-translate --help

Exit codes:
  0  success
  1  runtime failure
  2  usage error (unknown option or bad argument)`,
    );
}
