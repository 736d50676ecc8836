import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { GatewayError } from '../errors.js';

/**
 * Reads a dotenv file (`KEY=value`, quotes, `#` comments, `export` prefixes as Node's own parser
 * accepts them). A missing file named explicitly is an error; the implicit `./.env` is optional.
 *
 * @throws GatewayError CONFIG_INVALID when an explicitly named file cannot be read.
 */
export function readEnvFile(path: string, required: boolean): Record<string, string> {
  const file = resolve(path);
  if (!existsSync(file)) {
    if (required) throw new GatewayError('CONFIG_INVALID', `env file ${file} does not exist`);
    return {};
  }
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (cause) {
    throw new GatewayError('CONFIG_INVALID', `env file ${file} cannot be read: ${(cause as Error).message}`, {
      cause,
    });
  }
}
