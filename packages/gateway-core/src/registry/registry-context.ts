import type { Kysely } from 'kysely';
import type { GatewayConfig } from '../config/settings.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/schema.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { RegistryCache } from './common/registry-cache.js';

/** What every registry service needs: storage, cache, secret box, settings, logger. */
export interface RegistryContext {
  db: Kysely<Database>;
  cache: RegistryCache;
  box: SecretBox;
  config: Pick<
    GatewayConfig,
    | 'GATEWAY_TOOL_NAME_SEPARATOR'
    | 'CONTENT_MAX_RESOURCE_SIZE'
    | 'CONTENT_MAX_PROMPT_SIZE'
    | 'PROMPT_RENDER_TIMEOUT_MS'
    | 'PROMPT_RENDER_MAX_OUTPUT'
  >;
  logger: GatewayLogger;
}
