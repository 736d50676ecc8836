import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);

/**
 * Absolute path of the built conformance fixture CLI (`servers/conformance-fixture/dist/cli.js`).
 *
 * @returns {string}
 * @throws {Error} when the fixture has not been built
 */
export function fixtureCliPath() {
  const dir = dirname(require.resolve('@contextforge-internal/conformance-fixture/package.json'));
  const cli = join(dir, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    throw new Error(
      `the conformance fixture is not built (${cli} is missing): run pnpm nx build @contextforge-internal/conformance-fixture`,
    );
  }
  return cli;
}

/**
 * The command line that serves the fixture over stdio, for bridges that spawn their upstream
 * (`mcp-translate --cmd`, gateway stdio upstreams).
 *
 * @param {string[]} [extraArgs] e.g. `['--log-level', 'debug']`
 * @returns {{ command: string, args: string[] }}
 */
export function fixtureStdioCommand(extraArgs = []) {
  return { command: process.execPath, args: [fixtureCliPath(), '--stdio', ...extraArgs] };
}

/**
 * @typedef {object} FixtureProcess
 * @property {string} url the streamable HTTP endpoint
 * @property {number} port
 * @property {number} pid
 * @property {() => Promise<void>} stop SIGTERM, then SIGKILL after 5 s; resolves once the process has exited
 */

/**
 * Starts the built fixture as a child process serving streamable HTTP on 127.0.0.1 (port 0 by
 * default) and resolves with its endpoint, read from the single JSON line it prints on stdout.
 *
 * @param {{ port?: number, args?: string[], timeoutMs?: number, onStderr?: (line: string) => void }} [options]
 * @returns {Promise<FixtureProcess>}
 * @throws {Error} when the process exits or stays silent for `timeoutMs` (default 15 s) before printing its URL
 */
export function startFixtureProcess(options = {}) {
  const args = [fixtureCliPath(), '--http', '--port', String(options.port ?? 0), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr = `${stderr}${line}\n`.slice(-8_192);
    options.onStderr?.(line);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (/** @type {string} */ why) => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`conformance fixture did not start: ${why}\n${stderr}`)));
    };
    const timer = setTimeout(
      () => fail(`no URL within ${options.timeoutMs ?? 15_000} ms`),
      options.timeoutMs ?? 15_000,
    );
    const onEarlyExit = (/** @type {number | null} */ code, /** @type {string | null} */ signal) =>
      fail(`exited early (code ${code}, signal ${signal})`);
    child.once('exit', onEarlyExit);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      try {
        const { url, port } = JSON.parse(line);
        resolve({ url, port, pid: /** @type {number} */ (child.pid), stop });
      } catch {
        fail(`unexpected first stdout line ${JSON.stringify(line)}`);
      }
    });
  });
}
