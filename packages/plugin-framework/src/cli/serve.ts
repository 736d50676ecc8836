/** `mcpplugins serve`: hosts the plugins of a configuration file as an external plugin server. */
import { resolve } from 'node:path';
import { loadPluginsConfig } from '../config/load-config.js';
import { ExternalPluginServer } from '../external/plugin-server.js';
import { type RunningPluginServer, servePlugins } from '../external/serve-plugins.js';
import { serverSettingsWithEnv, transportFromEnv } from '../external/server-settings-from-env.js';
import { PluginManager } from '../manager/plugin-manager.js';
import { createConsoleLogger, type LogLevel } from '../util/logger.js';

/** Options of `servePluginConfig`. */
export interface ServeCommandOptions {
  config?: string;
  transport?: 'http' | 'stdio';
  host?: string;
  port?: number;
  uds?: string;
  logLevel?: LogLevel;
  env?: NodeJS.ProcessEnv;
}

/** A served configuration: the manager and the listening server. */
export interface ServedPlugins {
  manager: PluginManager;
  server: RunningPluginServer;
  close(): Promise<void>;
}

/** Loads the configuration, starts its plugins and serves them. */
export async function servePluginConfig(options: ServeCommandOptions): Promise<ServedPlugins> {
  const env = options.env ?? process.env;
  const path = resolve(options.config ?? env.PLUGINS_CONFIG_PATH ?? 'plugins/config.yaml');
  const logger = createConsoleLogger(
    options.logLevel ?? ((env.PLUGINS_LOG_LEVEL?.toLowerCase() as LogLevel) || 'info'),
    {
      component: 'mcpplugins',
    },
  );
  const config = await loadPluginsConfig(path, env);
  const settings = serverSettingsWithEnv(config.serverSettings, {
    ...env,
    ...(options.host ? { PLUGINS_SERVER_HOST: options.host } : {}),
    ...(options.port !== undefined ? { PLUGINS_SERVER_PORT: String(options.port) } : {}),
    ...(options.uds ? { PLUGINS_SERVER_UDS: options.uds } : {}),
  });
  const manager = new PluginManager({ config, logger, env });
  await manager.initialize();
  const transport = options.transport ?? transportFromEnv(env) ?? 'http';
  let server: RunningPluginServer;
  try {
    server = await servePlugins(new ExternalPluginServer(manager), {
      transport,
      settings,
      baseDir: config.baseDir,
      logger,
    });
  } catch (error) {
    await manager.shutdown();
    throw error;
  }
  return {
    manager,
    server,
    async close() {
      await server.close();
      await manager.shutdown();
    },
  };
}
