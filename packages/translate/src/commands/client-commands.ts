import {
  createLogger,
  openClientTransport,
  parseLogLevel,
  pipe,
  type RemoteProtocol,
  StdioServerTransport,
} from '@contextforge/bridge';
import { Command, Option } from 'commander';
import { collect, durationParser, parseBytes, parseCount, parseHeaders } from '../option-parsers.js';
import { UsageError } from '../usage-error.js';

interface ClientCliOptions {
  url: string;
  header?: string[];
  oauth2Bearer?: string;
  timeout: number;
  retries: number;
  keepAlive: number;
  maxMessageBytes: number;
  logLevel: string;
}

function clientCommand(
  name: string,
  protocol: RemoteProtocol,
  description: string,
  example: string,
): Command {
  return new Command(name)
    .description(description)
    .requiredOption('--url <url>', 'the remote MCP endpoint')
    .option('--header <header>', 'add "Name: value" to every request (repeatable)', collect)
    .option('--oauth2-bearer <token>', 'send "Authorization: Bearer <token>"')
    .option(
      '--timeout <duration>',
      'per-request timeout (bare number = ms; 0 = none)',
      durationParser('ms'),
      0,
    )
    .option('--retries <n>', 'retries after network errors and 502/503/504', parseCount, 2)
    .option(
      '--keep-alive <duration>',
      'WebSocket ping interval (bare number = seconds; 0 = off)',
      durationParser('s'),
      30_000,
    )
    .option('--max-message-bytes <size>', 'largest message accepted (e.g. 4mb)', parseBytes, 4 * 1024 * 1024)
    .addOption(
      new Option('--log-level <level>', 'debug, info, warn, error or off (logs go to stderr)').default(
        'info',
      ),
    )
    .addHelpText('after', `\nExample:\n  $ ${example}\n`)
    .action(async (options: ClientCliOptions) => {
      await connect(protocol, options);
      // Idle keep-alive sockets and timers must not hold the process once stdin has ended.
      process.exit(process.exitCode ?? 0);
    });
}

/**
 * Bridges this process's stdio to a remote server until stdin ends (exit 0) or the remote is gone
 * for good (exit 1). stdout carries only MCP messages; logs go to stderr.
 */
async function connect(protocol: RemoteProtocol, options: ClientCliOptions): Promise<void> {
  const logger = createLogger(parseLogLevel(options.logLevel), 'mcp-translate');
  const headers = parseHeaders(options.header);
  if (options.oauth2Bearer) headers.authorization = `Bearer ${options.oauth2Bearer}`;
  let remote: ReturnType<typeof openClientTransport>;
  try {
    remote = openClientTransport(
      { url: options.url, protocol, headers },
      {
        timeoutMs: options.timeout,
        retries: options.retries,
        keepAliveMs: options.keepAlive,
        maxMessageBytes: options.maxMessageBytes,
        logger,
      },
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  await remote.start();
  logger.info(`connected to ${options.url} (${protocol}); relaying stdio`);
  const local = new StdioServerTransport(options.maxMessageBytes);
  await new Promise<void>((resolve) => {
    pipe(local, remote, {
      onerror: (error, side) => logger.warn(`${side === 'a' ? 'stdio' : 'remote'}: ${error.message}`),
      onclose: (side, info) => {
        if (side === 'b' && info?.unexpected) {
          logger.error(`remote connection lost for good: ${info.reason}`);
          process.exitCode = 1;
        }
        resolve();
      },
    });
    void local.start();
    const stop = () => void local.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `sse-to-stdio`. */
export function sseToStdioCommand(): Command {
  return clientCommand(
    'sse-to-stdio',
    'sse',
    'connect to a remote legacy SSE MCP server and serve it on this process’s stdio',
    'mcp-translate sse-to-stdio --url https://example.com/sse --oauth2-bearer $TOKEN',
  );
}

/** `streamable-http-to-stdio`. */
export function streamableHttpToStdioCommand(): Command {
  return clientCommand(
    'streamable-http-to-stdio',
    'streamable-http',
    'connect to a remote streamable HTTP MCP server and serve it on this process’s stdio',
    'mcp-translate streamable-http-to-stdio --url http://localhost:4444/servers/1/mcp --header "Authorization: Bearer $TOKEN"',
  );
}

/** `ws-to-stdio`. */
export function wsToStdioCommand(): Command {
  return clientCommand(
    'ws-to-stdio',
    'ws',
    'connect to a remote WebSocket MCP server and serve it on this process’s stdio',
    'mcp-translate ws-to-stdio --url ws://localhost:9000/message',
  );
}
