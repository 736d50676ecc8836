import { Command, InvalidArgumentError, Option } from 'commander';
import { startHttpFixture } from './http/start-http-fixture.js';
import { serveStdioFixture } from './serve-stdio-fixture.js';
import { createStderrLogger, LOG_LEVELS, type LogLevel } from './stderr-logger.js';
import { VERSION } from './version.js';

/** Parsed command-line options. */
interface CliOptions {
  stdio?: boolean;
  http?: boolean;
  host: string;
  port: number;
  mcpPath: string;
  ssePath: string;
  messagePath: string;
  allowedHost: string[];
  anyHost?: boolean;
  maxSessions: number;
  sessionTimeout: number;
  logLevel: LogLevel;
}

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, received "${value}"`);
    }
    return parsed;
  };
}

/**
 * Builds the `mcp-conformance-fixture` command line. Kept apart from `cli.ts` so tests can run it
 * without touching `process`.
 *
 * Exit codes: 0 clean shutdown (signal, or stdin closed in stdio mode), 1 runtime failure (e.g. the
 * port is taken), 2 usage error.
 */
export function createProgram(): Command {
  return new Command('mcp-conformance-fixture')
    .description(
      'MCP server with every fixture the official conformance suite calls (2025-11-25 sessions and 2026-07-28 stateless), over stdio or streamable HTTP',
    )
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .addOption(new Option('--stdio', 'serve one client over stdin/stdout').conflicts('http'))
    .addOption(
      new Option('--http', 'serve streamable HTTP (both eras on one endpoint) and legacy HTTP+SSE').conflicts(
        'stdio',
      ),
    )
    .option('--host <host>', 'interface to bind in --http mode', '127.0.0.1')
    .option(
      '--port <port>',
      'port to bind in --http mode (0 picks a free one)',
      integer('--port', 0, 65_535),
      0,
    )
    .option('--mcp-path <path>', 'path of the streamable HTTP endpoint', '/mcp')
    .option('--sse-path <path>', 'path of the legacy HTTP+SSE stream', '/sse')
    .option('--message-path <path>', 'path legacy SSE clients POST messages to', '/message')
    .option(
      '--allowed-host <name>',
      'hostname accepted in Host/Origin (repeatable; default: localhost names)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--any-host', 'disable Host/Origin (DNS-rebinding) validation')
    .option(
      '--max-sessions <n>',
      'most concurrent 2025-era sessions',
      integer('--max-sessions', 1, 1_000_000),
      1_000,
    )
    .option(
      '--session-timeout <ms>',
      'close 2025-era sessions idle this long',
      integer('--session-timeout', 1_000, 86_400_000),
      1_800_000,
    )
    .addOption(new Option('--log-level <level>', 'stderr log level').choices(LOG_LEVELS).default('warn'))
    .addHelpText(
      'after',
      `
In --http mode the bound endpoint is printed on stdout as one JSON line,
  {"url":"http://127.0.0.1:41234/mcp","sseUrl":"http://127.0.0.1:41234/sse","port":41234,"pid":4242}
and nothing else is ever written to stdout. Logs go to stderr.

Examples:
  $ mcp-conformance-fixture --stdio
  $ mcp-conformance-fixture --http --port 0
  $ mcp-conformance-fixture --http --host 0.0.0.0 --port 9000 --allowed-host fixture.internal

Exit codes:
  0  clean shutdown (SIGINT/SIGTERM, or stdin closed in --stdio mode)
  1  runtime failure (e.g. the port is already in use)
  2  usage error (unknown option or bad argument)`,
    )
    .action(async (options: CliOptions, command: Command) => {
      if (!options.stdio && !options.http) command.error('error: choose a transport: --stdio or --http');
      const log = createStderrLogger(options.logLevel);
      if (options.stdio) {
        const handle = serveStdioFixture({ log });
        onSignal(() => handle.close());
        return;
      }
      const fixture = await startHttpFixture({
        host: options.host,
        port: options.port,
        mcpPath: options.mcpPath,
        ssePath: options.ssePath,
        messagePath: options.messagePath,
        allowedHosts: options.anyHost ? 'any' : withLocalhost(options.allowedHost, options.host),
        sessions: { maxSessions: options.maxSessions, idleTimeoutMs: options.sessionTimeout },
        log,
      });
      const ready = { url: fixture.url, sseUrl: fixture.sseUrl, port: fixture.port, pid: process.pid };
      process.stdout.write(`${JSON.stringify(ready)}\n`);
      onSignal(() => fixture.close());
    });
}

/** The localhost names, the bound interface and any extra names given on the command line. */
function withLocalhost(extra: string[], host: string): string[] {
  const bound = host.includes(':') ? `[${host}]` : host;
  const names = new Set(['localhost', '127.0.0.1', '[::1]', ...extra]);
  if (bound !== '0.0.0.0' && bound !== '[::]') names.add(bound);
  return [...names];
}

/** Runs `shutdown` once on SIGINT/SIGTERM, then exits 0. */
function onSignal(shutdown: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
