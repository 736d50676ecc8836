import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A package's built CLI (`dist/cli.js`) and its version (`package.json`), given the package's
 * root folder as a URL (in a test file: `new URL('..', import.meta.url)`).
 */
export function builtCli(packageRoot) {
  const cli = fileURLToPath(new URL('dist/cli.js', packageRoot));
  const { version } = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8'));
  const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { cli, version, run };
}

/**
 * The checks every published bin must pass, as a suite `<bin> (built bin)`: `--version` prints the
 * package version, `--help` prints usage (`Usage: <bin>`), examples and exit codes, and an unknown
 * option exits with 2 and is named on stderr. Each CLI package runs it from its `test/cli.test.ts`
 * so the contract stays the same everywhere.
 */
export function describeBuiltCli(bin, packageRoot) {
  const { version, run } = builtCli(packageRoot);
  describe(`${bin} (built bin)`, () => {
    it('prints the package version with --version', () => {
      const result = run('--version');
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    });

    it('prints usage, examples and exit codes with --help', () => {
      const result = run('--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: ${bin}`);
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain('Exit codes:');
    });

    it('exits with 2 and names an unknown option', () => {
      const result = run('--definitely-not-an-option');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("unknown option '--definitely-not-an-option'");
      expect(result.stdout).toBe('');
    });
  });
}
