import { resolve } from 'node:path';
import {
  errorMessage,
  type HookName,
  loadPluginsConfig,
  PluginConfigError,
  PluginManager,
} from '@contextforge/plugin-framework';
import type { GatewayConfig } from '../config/settings.js';
import { GatewayError } from '../errors.js';
import type { GatewayLogger } from '../observability/logger.js';
import { GATEWAY_HOOKS } from './plugin-interceptor.js';
import { pluginLogger } from './plugin-logger.js';

/**
 * The environment the plugin manager sees: the process environment (`{{ env.NAME }}` templates in the YAML,
 * stdio plugin processes) plus the `PLUGINS_CLIENT_MTLS_*` settings, which may come from a `.env` file.
 */
export function pluginEnvironment(
  config: GatewayConfig,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const mtls = {
    CERTFILE: config.PLUGINS_CLIENT_MTLS_CERTFILE,
    KEYFILE: config.PLUGINS_CLIENT_MTLS_KEYFILE,
    CA_BUNDLE: config.PLUGINS_CLIENT_MTLS_CA_BUNDLE,
    KEYFILE_PASSWORD: config.PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD,
    VERIFY: config.PLUGINS_CLIENT_MTLS_VERIFY?.toString(),
    CHECK_HOSTNAME: config.PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME?.toString(),
  };
  for (const [name, value] of Object.entries(mtls))
    if (value !== undefined) out[`PLUGINS_CLIENT_MTLS_${name}`] = value;
  return out;
}

/**
 * Loads `PLUGINS_CONFIG_FILE`, instantiates and initializes every enabled plugin (npm packages named by
 * `kind`, resolved from the file's folder, its `plugin_dirs` and the working directory; local paths;
 * external servers), and starts watching the file when `PLUGINS_CONFIG_WATCH` is set.
 *
 * @throws GatewayError CONFIG_INVALID naming the file and the problem (invalid YAML or field, a plugin
 *   package that is not installed, an external plugin server that refuses the connection, …)
 */
export async function loadPluginManager(
  config: GatewayConfig,
  logger: GatewayLogger,
): Promise<PluginManager> {
  const path = resolve(config.PLUGINS_CONFIG_FILE);
  const env = pluginEnvironment(config);
  const log = logger.child({ component: 'plugins' });
  let manager: PluginManager | undefined;
  try {
    const file = await loadPluginsConfig(path, env);
    manager = new PluginManager({
      config: file,
      configPath: path,
      env,
      logger: pluginLogger(log),
      resolvePaths: file.pluginDirs.map((dir) => resolve(file.baseDir, dir)),
    });
    await manager.initialize();
  } catch (error) {
    await manager?.shutdown().catch(() => {});
    const message =
      // A file-level error already names the file; one from a plugin's own config block names the plugin.
      error instanceof PluginConfigError && error.source === path
        ? `PLUGINS_CONFIG_FILE: ${error.message}`
        : `PLUGINS_CONFIG_FILE (${path}): ${errorMessage(error)}`;
    throw new GatewayError('CONFIG_INVALID', message, { field: 'PLUGINS_CONFIG_FILE', cause: error });
  }
  warnAboutUncalledHooks(manager, log);
  manager.on('modeChanged', (e: { name: string; mode: string; previous: string }) =>
    log.info(e, 'plugin mode changed'),
  );
  manager.on('pluginDisabled', (e: { name: string; error: string }) =>
    log.warn(e, 'plugin disabled after an error (on_error: disable)'),
  );
  manager.on('reloaded', (report: unknown) => log.info({ report }, 'plugin configuration reloaded'));
  if (config.PLUGINS_CONFIG_WATCH) manager.watch();
  const plugins = manager.listPlugins();
  log.info(
    { file: path, plugins: plugins.map((p) => `${p.name} (${p.kind}, ${p.mode})`) },
    `${plugins.length} plugin(s) loaded`,
  );
  return manager;
}

/** Hooks a plugin takes part in that this gateway never calls: say so once, at start. */
function warnAboutUncalledHooks(manager: PluginManager, log: GatewayLogger): void {
  const called: ReadonlySet<HookName> = new Set(GATEWAY_HOOKS);
  for (const p of manager.listPlugins()) {
    const uncalled = p.hooks.filter((h) => !called.has(h));
    if (uncalled.length > 0)
      log.warn(
        { plugin: p.name, hooks: uncalled },
        `plugin "${p.name}" takes part in ${uncalled.join(', ')}, which this gateway does not call`,
      );
  }
}
