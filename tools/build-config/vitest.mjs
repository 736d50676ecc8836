import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Vitest defaults shared by the workspace: node environment, generous timeouts for tests that
 * start real processes and servers, and the same `__PKG_VERSION__`/`__PKG_NAME__` constants the
 * tsup build injects, so sources run unbundled under test.
 *
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 * @param {string} [cwd] package folder (defaults to process.cwd())
 */
export function testConfig(overrides = {}, cwd = process.cwd()) {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  return {
    define: { __PKG_VERSION__: JSON.stringify(pkg.version), __PKG_NAME__: JSON.stringify(pkg.name) },
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      watch: false,
      passWithNoTests: false,
      ...overrides,
    },
  };
}
