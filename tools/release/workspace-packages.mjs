import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/** Repository root (this file lives in tools/release). */
export const root = join(import.meta.dirname, '..', '..');

/**
 * Lists the workspace packages named by pnpm-workspace.yaml (single-level globs like
 * `packages/*` and plain folders), with their parsed package.json.
 *
 * @returns {{ dir: string, rel: string, pkg: Record<string, any> }[]} sorted by folder
 */
export function workspacePackages() {
  const spec = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'));
  const dirs = new Set();
  for (const pattern of spec.packages ?? []) {
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const entry of readdirSync(base, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.add(join(base, entry.name));
      }
    } else {
      dirs.add(join(root, pattern));
    }
  }
  return [...dirs]
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .sort()
    .map((dir) => ({
      dir,
      rel: relative(root, dir),
      pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
    }));
}

/** The packages that are published to npm (not `private`). */
export function publishablePackages() {
  return workspacePackages().filter(({ pkg }) => !pkg.private);
}
