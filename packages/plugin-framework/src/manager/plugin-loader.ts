/**
 * Turns a YAML `kind` into a plugin factory: registered factories first, then ContextForge class
 * path aliases, then a local path (relative to the YAML file), then an npm package resolved from the
 * YAML's directory, the extra resolve paths and the working directory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage, PluginError } from '../errors.js';
import type { PluginFactory, PluginModule } from '../plugin/plugin.js';
import { aliasForKind } from './kind-aliases.js';

/** Where and how to look for plugin modules. */
export interface LoaderOptions {
  /** Factories (or whole modules) by kind: wins over any lookup. */
  factories?: Readonly<Record<string, PluginFactory | PluginModule>>;
  /** Directory of the YAML file. */
  baseDir: string;
  /** More directories to resolve npm packages from. */
  resolvePaths?: readonly string[];
  /** Imports a resolved module (overridable for bundlers). */
  importModule?: (url: string) => Promise<unknown>;
}

const isPathKind = (kind: string) =>
  kind.startsWith('./') || kind.startsWith('../') || kind.startsWith('file:') || isAbsolute(kind);

/**
 * Resolves `kind` to its factory.
 *
 * @throws PluginError `PLUGIN_LOAD_FAILED` saying where it looked and how to fix it
 */
export async function resolvePluginModule(
  kind: string,
  pluginName: string,
  options: LoaderOptions,
): Promise<PluginModule> {
  const registered = options.factories?.[kind];
  if (registered) return typeof registered === 'function' ? { createPlugin: registered } : registered;
  const alias = aliasForKind(kind);
  if (alias && options.factories?.[alias]) return resolvePluginModule(alias, pluginName, options);
  const target = alias ?? kind;
  const importModule = options.importModule ?? ((url: string) => import(url));
  let url: string;
  if (isPathKind(target)) {
    url = target.startsWith('file:') ? target : pathToFileURL(resolve(options.baseDir, target)).href;
  } else {
    url = pathToFileURL(resolvePackage(target, pluginName, options)).href;
  }
  let loaded: unknown;
  try {
    loaded = await importModule(url);
  } catch (error) {
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${pluginName}": cannot import kind "${kind}" (${url}): ${errorMessage(error)}`,
      {
        pluginName,
        cause: error,
      },
    );
  }
  const module = asPluginModule(loaded);
  if (!module) {
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${pluginName}": module for kind "${kind}" exports no createPlugin function (expected \`export function createPlugin(init)\` or a default export)`,
      { pluginName },
    );
  }
  return module;
}

function asPluginModule(loaded: unknown): PluginModule | undefined {
  const m = loaded as Record<string, unknown> | undefined;
  if (!m) return undefined;
  if (typeof m.createPlugin === 'function') return m as unknown as PluginModule;
  const d = m.default as Record<string, unknown> | ((...args: unknown[]) => unknown) | undefined;
  if (typeof d === 'function') return { createPlugin: d as PluginFactory };
  if (d && typeof d.createPlugin === 'function') return d as unknown as PluginModule;
  return undefined;
}

/** Finds a package's ESM entry (or CJS main) from the candidate directories. */
function resolvePackage(name: string, pluginName: string, options: LoaderOptions): string {
  const dirs = [options.baseDir, ...(options.resolvePaths ?? []), process.cwd()];
  const tried: string[] = [];
  for (const dir of dirs) {
    const require = createRequire(join(resolve(dir), '__resolve__.js'));
    try {
      const manifest = require.resolve(`${name}/package.json`);
      const entry = esmEntry(manifest);
      if (entry) return entry;
    } catch {
      // The package may not export ./package.json; fall back to its main entry below.
    }
    try {
      return require.resolve(name);
    } catch {
      tried.push(dir);
    }
  }
  throw new PluginError(
    'PLUGIN_LOAD_FAILED',
    `plugin "${pluginName}": cannot find package "${name}" (looked from ${[...new Set(tried)].join(', ')}); install it with \`npm install ${name}\``,
    { pluginName },
  );
}

function esmEntry(manifestPath: string): string | undefined {
  const pkg = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: unknown;
    module?: string;
    main?: string;
  };
  const root =
    typeof pkg.exports === 'object' && pkg.exports
      ? ((pkg.exports as Record<string, unknown>)['.'] ?? pkg.exports)
      : pkg.exports;
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      return pick(v.import) ?? pick(v.default) ?? pick(v.node) ?? pick(v.require);
    }
    return undefined;
  };
  const relative = pick(root) ?? pkg.module ?? pkg.main;
  return relative ? join(dirname(manifestPath), relative) : undefined;
}
