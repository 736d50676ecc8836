/**
 * `mcpplugins list`: the plugin packages installed in `node_modules` folders from a directory up
 * to the file system root. A package counts as a plugin when its package.json has a
 * `contextforge.plugin` field or the keyword `contextforge-plugin`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** One installed plugin package. */
export interface InstalledPlugin {
  name: string;
  version: string;
  description: string;
  hooks: string[];
  path: string;
}

/** Finds installed plugin packages, nearest `node_modules` first (a name is listed once). */
export function listInstalledPlugins(from: string = process.cwd()): InstalledPlugin[] {
  const found = new Map<string, InstalledPlugin>();
  let dir = resolve(from);
  for (;;) {
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) {
      for (const pkgDir of packageDirs(modules)) {
        const plugin = readPlugin(pkgDir);
        if (plugin && !found.has(plugin.name)) found.set(plugin.name, plugin);
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function packageDirs(modules: string): string[] {
  const dirs: string[] = [];
  for (const entry of safeReaddir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of safeReaddir(join(modules, entry))) dirs.push(join(modules, entry, scoped));
    } else {
      dirs.push(join(modules, entry));
    }
  }
  return dirs;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readPlugin(dir: string): InstalledPlugin | undefined {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const marker = (pkg.contextforge as { plugin?: { hooks?: unknown } } | undefined)?.plugin;
  const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
  if (!marker && !keywords.includes('contextforge-plugin')) return undefined;
  // Per-platform binary packages copy their parent's keywords; they are not plugins themselves.
  if (typeof pkg.main === 'string' && pkg.main.endsWith('.node')) return undefined;
  return {
    name: String(pkg.name),
    version: String(pkg.version ?? ''),
    description: String(pkg.description ?? ''),
    hooks: Array.isArray(marker?.hooks) ? marker.hooks.map(String) : [],
    path: dir,
  };
}
