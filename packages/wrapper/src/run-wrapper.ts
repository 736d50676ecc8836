import {
  createLogger,
  pipe,
  StdioServerTransport,
  StreamableHttpClientTransport,
} from '@contextforge/bridge';
import type { WrapperConfig } from './wrapper-config.js';

/**
 * Serves MCP on this process's stdio and forwards every message to the remote streamable HTTP
 * endpoint (session id, protocol version, retries, timeouts and concurrency handled by the bridge's
 * client). Resolves when stdin ends or a signal arrives; stdout only ever carries MCP messages.
 */
export async function runWrapper(config: WrapperConfig): Promise<void> {
  const logger = createLogger(config.logLevel, 'mcp-wrapper');
  const headers = { ...config.headers };
  if (config.auth) headers.authorization = config.auth;
  const remote = new StreamableHttpClientTransport({
    url: config.url,
    headers,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    concurrency: config.concurrency,
    logger,
  });
  const local = new StdioServerTransport();
  logger.info(`forwarding stdio to ${config.url}`, {
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
  });
  await new Promise<void>((resolve) => {
    pipe(local, remote, {
      onerror: (error, side) => logger.warn(`${side === 'a' ? 'stdio' : 'remote'}: ${error.message}`),
      onclose: () => resolve(),
    });
    void local.start();
    const stop = (signal: NodeJS.Signals) => {
      logger.info(`${signal} received; closing`);
      void local.close();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
