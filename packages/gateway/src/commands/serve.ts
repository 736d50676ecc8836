import { createGateway, type Gateway } from '@contextforge/gateway-core';
import { VERSION } from '../version.js';
import { serveBanner } from './banner.js';
import { configFor } from './load.js';

/** Options of `contextforge serve`. */
export interface ServeOptions {
  host?: string;
  port?: string;
  envFile?: string;
}

/**
 * `contextforge serve`: validates the configuration, opens (and migrates) the database, listens, prints
 * where, and shuts down gracefully on SIGINT/SIGTERM (a second signal exits at once).
 */
export async function serveCommand(options: ServeOptions): Promise<void> {
  const config = configFor(options.envFile, { HOST: options.host, PORT: options.port });
  const gateway: Gateway = await createGateway(config);
  let running: Awaited<ReturnType<Gateway['listen']>>;
  try {
    running = await gateway.listen();
  } catch (error) {
    // Close the pools first: open database connections would otherwise keep the process alive.
    await gateway.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new Error(`${config.HOST}:${config.PORT} is already in use (set PORT or --port)`);
    throw error;
  }
  process.stdout.write(serveBanner(running.url, config, VERSION));
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`received ${signal} again: exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      gateway.logger.info({ signal }, 'shutting down');
      gateway
        .close()
        .catch((error: unknown) => gateway.logger.error({ err: error }, 'error during shutdown'))
        .finally(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
