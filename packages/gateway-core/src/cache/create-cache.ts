import type { GatewayConfig } from '../config/settings.js';
import type { GatewayLogger } from '../observability/logger.js';
import type { Cache } from './cache.js';
import { MemoryCache, NullCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';

/**
 * Creates the cache `CACHE_TYPE` names (`memory`, `redis`, `none`).
 *
 * @throws GatewayError CACHE_UNAVAILABLE when Redis is configured but unreachable.
 */
export async function createCache(
  config: Pick<GatewayConfig, 'CACHE_TYPE' | 'REDIS_URL' | 'CACHE_PREFIX' | 'CACHE_MAX_ENTRIES'>,
  logger?: GatewayLogger,
): Promise<Cache> {
  switch (config.CACHE_TYPE) {
    case 'redis':
      return RedisCache.connect({
        url: config.REDIS_URL,
        prefix: config.CACHE_PREFIX,
        maxLocalEntries: config.CACHE_MAX_ENTRIES,
        ...(logger ? { logger } : {}),
      });
    case 'none':
      return new NullCache();
    default:
      return new MemoryCache(config.CACHE_MAX_ENTRIES);
  }
}
