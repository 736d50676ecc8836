import { spawn, spawnSync } from 'node:child_process';
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

/**
 * Starts a long-running command of a built CLI (`serve --port 0`) and resolves once it prints
 * `listening on <url>` on stdout or stderr; rejects, with everything it printed, when it exits first
 * or is not listening after `timeoutMs`. The child is pushed onto `children` at once, so a test's
 * cleanup stops it even when it never came up.
 */
export function startListening(cli, args, { cwd, env, children, timeoutMs = 60_000 }) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children?.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}:\n${output}`)));
  });
}
