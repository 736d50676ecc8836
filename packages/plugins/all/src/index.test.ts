import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinPlugins, PACKAGE_NAME, PLUGIN_PACKAGES, VERSION } from './index.js';

describe('@contextforge/plugins-all', () => {
  it('exports the name and version from package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_NAME).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
  });

  it('depends on and registers every plugin package of the repository', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const deps = Object.keys(pkg.dependencies).filter(
      (d) => d.startsWith('@contextforge/plugin-') && d !== '@contextforge/plugin-framework',
    );
    expect([...PLUGIN_PACKAGES].sort()).toEqual(deps.sort());
    for (const [name, module] of Object.entries(builtinPlugins)) {
      expect(typeof module.createPlugin, name).toBe('function');
      expect(module.manifest?.name, name).toBe(name);
      expect(module.configJsonSchema, name).toMatchObject({ type: 'object' });
    }
  });
});
