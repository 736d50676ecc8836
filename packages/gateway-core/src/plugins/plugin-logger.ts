import type { PluginLogger } from '@contextforge/plugin-framework';
import type { GatewayLogger } from '../observability/logger.js';

/**
 * The plugin framework's logger interface (`message, fields`) over the gateway's pino logger
 * (`fields, message`), so plugin lines share the gateway's level, redaction and destination.
 */
export function pluginLogger(logger: GatewayLogger): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
    child: (fields) => pluginLogger(logger.child(fields)),
  };
}
