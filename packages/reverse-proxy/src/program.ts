import { Command } from 'commander';
import { type ProxyFlags, resolveProxyConfig } from './proxy-config.js';
import { ReverseProxyClient } from './reverse-proxy-client.js';
import { VERSION } from './version.js';

/** Raised for configuration that cannot work (exit code 2). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the `mcp-reverse-proxy` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success (stopped by SIGINT/SIGTERM), 1 runtime failure (token refused, retries
 * exhausted, local server gone), 2 usage or configuration error.
 */
export function createProgram(): Command {
  return new Command('mcp-reverse-proxy')
    .description('Publish a local stdio MCP server through a gateway from behind NAT')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .option('--local-stdio <command>', 'the local stdio MCP server to run')
    .option(
      '--gateway <url>',
      'gateway base URL (env REVERSE_PROXY_GATEWAY); the tunnel is <url>/reverse-proxy/ws',
    )
    .option('--token <token>', 'bearer token for the gateway (env REVERSE_PROXY_TOKEN)')
    .option(
      '--reconnect-delay <seconds>',
      'first reconnect delay, doubled per attempt up to 60 s (default 1)',
    )
    .option('--max-retries <n>', 'reconnect attempts before giving up; 0 = forever (default 0)')
    .option('--keepalive <seconds>', 'heartbeat interval; 0 = off (default 30)')
    .option('--name <name>', 'server name announced to the gateway (default: last word of the command)')
    .option('--description <text>', 'server description announced to the gateway')
    .option('--config <file>', 'YAML or JSON file with the same settings (local_stdio, gateway, token, …)')
    .option(
      '--log-level <level>',
      'debug, info, warn, error or off; logs go to stderr (env REVERSE_PROXY_LOG_LEVEL)',
    )
    .option('-v, --verbose', 'same as --log-level debug')
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-reverse-proxy --local-stdio "npx -y @modelcontextprotocol/server-everything" \\
      --gateway https://gateway.example.com --token $TOKEN
  $ REVERSE_PROXY_GATEWAY=https://gw:4444 REVERSE_PROXY_TOKEN=$TOKEN mcp-reverse-proxy --local-stdio "uvx mcp-server-git"
  $ mcp-reverse-proxy --config reverse-proxy.yaml

  reverse-proxy.yaml:
    local_stdio: uvx mcp-server-git
    gateway: https://gateway.example.com
    token: \${TOKEN}   # or REVERSE_PROXY_TOKEN
    reconnect_delay: 2
    max_retries: 10
    keepalive: 30

Exit codes:
  0  stopped by SIGINT/SIGTERM (unregisters first)
  1  runtime failure (token refused, --max-retries used up, local server could not run)
  2  usage or configuration error (unknown option, missing --local-stdio/--gateway, bad config file)`,
    )
    .action(async (flags: ProxyFlags) => {
      let config: ReturnType<typeof resolveProxyConfig>;
      try {
        config = resolveProxyConfig(flags);
      } catch (error) {
        throw new ConfigError((error as Error).message);
      }
      const client = new ReverseProxyClient(config);
      const stop = () => void client.stop('stopped by signal');
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await client.run();
    });
}
