import {
  type AuthLayer,
  createAuthLayer,
  createGateway,
  createLogger,
  type Gateway,
} from '@contextforge/gateway-core';
import { configFor } from './load.js';

/**
 * Opens the configured database (migrating it) with the security layer but without HTTP, runs `work`, and
 * closes everything. The platform administrator is not bootstrapped here (a generated password would
 * never be shown); with CACHE_TYPE=redis, revocations and user changes reach running gateways at once.
 */
export async function withAuth<T>(
  envFile: string | undefined,
  work: (auth: AuthLayer, gw: Gateway) => Promise<T>,
): Promise<T> {
  const config = configFor(envFile);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const gw = await createGateway(config, { auth: false, plugins: false, mcp: false, logger });
  try {
    const auth = await createAuthLayer({
      config,
      database: gw.database,
      box: gw.context.box,
      services: gw.services,
      logger,
      bootstrapAdmin: false,
    });
    try {
      return await work(auth, gw);
    } finally {
      await auth.close();
    }
  } finally {
    await gw.close();
  }
}

/** Reads a secret given on the command line, or from standard input when it is `-`. */
export async function secretArg(value: string, what: string): Promise<string> {
  if (value !== '-') return value;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text === '') throw new Error(`${what}: nothing on standard input`);
  return text;
}
