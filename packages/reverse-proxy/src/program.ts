import { Command } from 'commander';
import { VERSION } from './version.js';

/**
 * Builds the `mcp-reverse-proxy` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error (unknown option, bad argument).
 */
export function createProgram(): Command {
  return new Command('mcp-reverse-proxy')
    .description('Publish a local stdio MCP server through a gateway from behind NAT')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-reverse-proxy --version
  $ mcp-reverse-proxy --help

Exit codes:
  0  success
  1  runtime failure
  2  usage error (unknown option or bad argument)`,
    );
}
