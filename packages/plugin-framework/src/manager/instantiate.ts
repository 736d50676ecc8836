/** Creates and initializes one plugin from its YAML entry, checking its hooks against the entry. */
import type { PluginConfig } from '../config/schema.js';
import { errorMessage, PluginError } from '../errors.js';
import { ExternalPlugin } from '../external/external-plugin.js';
import { HOOK_NAMES, type HookName } from '../hooks/hook-names.js';
import type { Plugin, PluginFactory, PluginModule } from '../plugin/plugin.js';
import type { PluginLogger } from '../util/logger.js';
import { resolvePluginModule } from './plugin-loader.js';

/** A created plugin, the hooks it takes part in, and what an external server says about itself. */
export interface Instantiated {
  plugin: Plugin;
  hooks: HookName[];
  remote: Partial<Pick<PluginConfig, 'description' | 'author' | 'version' | 'tags'>>;
}

/** Descriptive fields an external plugin server reported. */
function remoteFields(plugin: Plugin): Instantiated['remote'] {
  if (!(plugin instanceof ExternalPlugin)) return {};
  const r = plugin.remoteConfig;
  return {
    ...(typeof r.description === 'string' ? { description: r.description } : {}),
    ...(typeof r.author === 'string' ? { author: r.author } : {}),
    ...(typeof r.version === 'string' ? { version: r.version } : {}),
    ...(Array.isArray(r.tags) ? { tags: r.tags.map(String) } : {}),
  };
}

/** What instantiation needs. */
export interface InstantiateOptions {
  baseDir: string;
  factories?: Readonly<Record<string, PluginFactory | PluginModule>> | undefined;
  resolvePaths?: readonly string[] | undefined;
  logger: PluginLogger;
  env: NodeJS.ProcessEnv;
  connectTimeoutMs: number;
}

/**
 * Builds, validates and initializes the plugin of `entry`.
 *
 * @returns the plugin and the hooks it takes part in
 * @throws PluginError naming the plugin when loading, validation or initialization fails
 */
export async function instantiate(entry: PluginConfig, options: InstantiateOptions): Promise<Instantiated> {
  const logger = options.logger.child({ plugin: entry.name });
  let plugin: Plugin;
  if (entry.kind === 'external') {
    plugin = new ExternalPlugin(entry, {
      baseDir: options.baseDir,
      env: options.env,
      logger,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  } else {
    const module = await resolvePluginModule(entry.kind, entry.name, options);
    try {
      plugin = await module.createPlugin({
        name: entry.name,
        config: entry.config ?? {},
        entry,
        logger,
        configDir: options.baseDir,
      });
    } catch (error) {
      if (error instanceof PluginError) throw error;
      throw new PluginError(
        'PLUGIN_LOAD_FAILED',
        `plugin "${entry.name}" (${entry.kind}): factory failed: ${errorMessage(error)}`,
        {
          pluginName: entry.name,
          cause: error,
        },
      );
    }
    if (!plugin || typeof plugin !== 'object' || typeof plugin.hooks !== 'object' || plugin.hooks === null) {
      throw new PluginError(
        'PLUGIN_LOAD_FAILED',
        `plugin "${entry.name}" (${entry.kind}): factory returned no plugin with a hooks object`,
        {
          pluginName: entry.name,
        },
      );
    }
  }
  try {
    await plugin.initialize?.();
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${entry.name}": initialize failed: ${errorMessage(error)}`,
      {
        pluginName: entry.name,
        cause: error,
      },
    );
  }
  const implemented = HOOK_NAMES.filter((h) => typeof plugin.hooks[h] === 'function');
  if (entry.hooks.length === 0) return { plugin, hooks: implemented, remote: remoteFields(plugin) };
  const missing = entry.hooks.filter((h) => !implemented.includes(h));
  if (missing.length > 0) {
    await Promise.resolve(plugin.shutdown?.()).catch(() => {});
    throw new PluginError(
      'PLUGIN_CONFIG_INVALID',
      `plugin "${entry.name}": hooks lists ${missing.join(', ')}, which ${entry.kind} does not implement (it implements ${implemented.join(', ') || 'nothing'})`,
      { pluginName: entry.name },
    );
  }
  return { plugin, hooks: [...entry.hooks], remote: remoteFields(plugin) };
}
