import { Command } from 'commander';
import { runWrapper } from './run-wrapper.js';
import { VERSION } from './version.js';
import { resolveConfig, type WrapperFlags } from './wrapper-config.js';

/** Raised for configuration that cannot work (exit code 2). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the `mcp-wrapper` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success (stdin ended or signal), 1 runtime failure, 2 usage or configuration error.
 */
export function createProgram(): Command {
  return new Command('mcp-wrapper')
    .description('stdio MCP server for desktop clients that forwards to a remote gateway virtual server')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .option(
      '--url <url>',
      'server URL: …/servers/<id>, …/servers/<id>/mcp, …/sse or …/mcp (env MCP_SERVER_URL)',
    )
    .option('--auth <value>', 'Authorization header value, e.g. "Bearer <token>" (env MCP_AUTH)')
    .option(
      '--timeout <seconds>',
      'per-request timeout in seconds; 0 = none (env MCP_TOOL_CALL_TIMEOUT, default 60)',
    )
    .option('--concurrency <n>', 'requests in flight at once (env CONCURRENCY, default 10)')
    .option('--retries <n>', 'retries after network errors and 502/503/504 (default 2)')
    .option(
      '--header <header>',
      'extra "Name: value" request header (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option(
      '--log-level <level>',
      'debug, info, warn, error or off; logs go to stderr (env MCP_WRAPPER_LOG_LEVEL)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ MCP_SERVER_URL=https://gateway:4444/servers/UUID MCP_AUTH="Bearer $TOKEN" mcp-wrapper
  $ mcp-wrapper --url http://localhost:4444/servers/UUID/mcp --auth "Bearer $TOKEN" --timeout 120

  Claude Desktop (claude_desktop_config.json):
    { "mcpServers": { "gateway": { "command": "npx", "args": ["-y", "@contextforge/wrapper"],
      "env": { "MCP_SERVER_URL": "https://gateway:4444/servers/UUID", "MCP_AUTH": "Bearer …" } } } }

stdout carries only MCP messages; logs go to stderr.

Exit codes:
  0  success (stdin ended, or SIGINT/SIGTERM)
  1  runtime failure
  2  usage or configuration error (unknown option, missing or malformed URL/timeout/concurrency)`,
    )
    .action(async (flags: WrapperFlags) => {
      let config: ReturnType<typeof resolveConfig>;
      try {
        config = resolveConfig(flags);
      } catch (error) {
        throw new ConfigError((error as Error).message);
      }
      await runWrapper(config);
      // Idle keep-alive sockets must not hold the process once stdin has ended.
      process.exit(process.exitCode ?? 0);
    });
}
