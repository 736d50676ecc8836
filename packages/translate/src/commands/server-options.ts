import {
  type BridgeServerOptions,
  createLogger,
  parseHeaderToEnv,
  parseLogLevel,
  splitCommandLine,
} from '@contextforge/bridge';
import { type Command, Option } from 'commander';
import {
  collect,
  durationParser,
  parseBytes,
  parseCount,
  parseHeaders,
  parsePort,
} from '../option-parsers.js';
import { UsageError } from '../usage-error.js';

/** Options common to every `stdio-to-*` subcommand and `serve`, as commander parses them. */
export interface ServerCliOptions {
  cmd?: string;
  port: number;
  host: string;
  cors?: string[] | boolean;
  header?: string[];
  oauth2Bearer?: string;
  keepAlive: number;
  sessionTimeout: number;
  maxSessions: number;
  headerToEnv?: string[];
  sharedChild?: boolean;
  maxMessageBytes: number;
  healthPath: string;
  logLevel: string;
  env?: string[];
  cwd?: string;
}

/** Adds the options every server-side subcommand shares. */
export function addServerOptions(command: Command): Command {
  return command
    .option('--cmd <command>', 'stdio MCP server to run (or give it after --); alias --stdio')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8000)
    .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', '127.0.0.1')
    .option('--cors [origins...]', 'allow browser clients from these origins (no value: any origin)')
    .option('--header <header>', 'add "Name: value" to every response (repeatable)', collect)
    .option('--oauth2-bearer <token>', 'require clients to send "Authorization: Bearer <token>"')
    .option(
      '--keep-alive <duration>',
      'SSE keep-alive comment / WebSocket ping interval (bare number = seconds; 0 = off)',
      durationParser('s'),
      30_000,
    )
    .option(
      '--session-timeout <duration>',
      'close sessions idle this long (bare number = ms; 0 = never)',
      durationParser('ms'),
      0,
    )
    .option('--max-sessions <n>', 'most concurrent sessions (0 = unlimited)', parseCount, 100)
    .option(
      '--header-to-env <HEADER=ENV>',
      "copy a request header into the session's child environment (repeatable; per-session children only)",
      collect,
    )
    .option(
      '--shared-child',
      'serve every session from one child process, remapping request ids (alias --shared)',
    )
    .option(
      '--max-message-bytes <size>',
      'largest message accepted from clients or the child (e.g. 4mb)',
      parseBytes,
      4 * 1024 * 1024,
    )
    .option('--health-path <path>', 'health endpoint answering 200 "ok"', '/healthz')
    .option('--env <KEY=VALUE>', 'set an environment variable for the child (repeatable)', collect)
    .option('--cwd <dir>', 'working directory of the child')
    .addOption(
      new Option('--log-level <level>', 'debug, info, warn, error or off (logs go to stderr)').default(
        'info',
      ),
    )
    .argument('[command...]', 'the stdio MCP server command, after --');
}

function parseEnv(values: readonly string[] = []): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env expects KEY=VALUE, received "${value}"`);
    env[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return env;
}

/**
 * Turns parsed CLI options into {@link BridgeServerOptions} (without the transports, which each
 * subcommand adds).
 *
 * @throws UsageError when no command is given or options contradict each other
 */
export function toServerOptions(
  options: ServerCliOptions,
  commandArgs: string[],
  name: string,
): Omit<BridgeServerOptions, 'streamableHttp' | 'sse' | 'websocket'> {
  const argv = commandArgs.length > 0 ? commandArgs : options.cmd ? splitCommandLine(options.cmd) : [];
  if (argv.length === 0) {
    throw new UsageError('no MCP server command: use --cmd "npx -y some-server" or put the command after --');
  }
  if (options.cmd && commandArgs.length > 0) {
    throw new UsageError('give the server command either with --cmd or after --, not both');
  }
  const logger = createLogger(parseLogLevel(options.logLevel), name);
  const cors = options.cors === true ? ['*'] : Array.isArray(options.cors) ? options.cors : undefined;
  return {
    child: { command: argv[0]!, args: argv.slice(1), env: parseEnv(options.env), cwd: options.cwd, logger },
    sharedChild: options.sharedChild ?? false,
    host: options.host,
    port: options.port,
    cors,
    headers: parseHeaders(options.header),
    bearerToken: options.oauth2Bearer,
    keepAliveMs: options.keepAlive,
    sessionTimeoutMs: options.sessionTimeout,
    maxSessions: options.maxSessions,
    maxMessageBytes: options.maxMessageBytes,
    headerToEnv: parseHeaderToEnv(options.headerToEnv ?? []),
    healthPath: options.healthPath,
    logger,
  };
}
