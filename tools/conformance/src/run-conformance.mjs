import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaseline, validateBaseline } from './baseline.mjs';
import { EngineUnavailableError, nextEngine, stableEngine } from './engines.mjs';
import { evaluate } from './evaluate.mjs';
import { startHeaderProxy } from './header-proxy.mjs';
import { readResults } from './read-results.mjs';
import { loadRequirementSet, REQUIREMENT_SETS } from './requirement-sets.mjs';
import { spawnSuite } from './spawn-suite.mjs';

/**
 * @typedef {object} RunConformanceOptions
 * @property {string} url the MCP endpoint under test (streamable HTTP)
 * @property {'2025-11-25' | '2026-07-28' | 'both'} [requirements] default `both`
 * @property {string | import('./baseline.mjs').Baseline} [expectedFailures] a baseline file path, or the baseline itself
 * @property {'auto' | 'next' | 'stable'} [engine] `next` = 0.2.x suite on Node ≥ 22, `stable` = 0.1.13 on this
 *   Node (2025-11-25 only), `auto` (default) = `next`, falling back to `stable` for 2025-11-25 when no Node ≥ 22 exists
 * @property {readonly string[]} [scenarios] run only these scenarios of each set (debugging; one suite process each)
 * @property {number} [scenarioTimeoutMs] per-scenario limit passed to the 0.2.x suite; default 30 000
 * @property {number} [timeoutMs] limit for one suite process; default 600 000
 * @property {string} [label] names the endpoint in reports (e.g. `mcp-translate stdio-to-streamable-http`)
 * @property {Record<string, string>} [headers] added to every request the suite sends (e.g. `authorization`), through
 *   a transparent local proxy: the suite itself cannot send extra headers
 * @property {string} [outputDir] keep the suite's per-scenario results here instead of a removed temp dir
 * @property {(chunk: string) => void} [onOutput] receives the suite's raw output as it runs
 */

/**
 * @typedef {import('./evaluate.mjs').Evaluation & {
 *   revision: string,
 *   engine: { name: string, version: string, node: string },
 *   durationMs: number,
 *   suiteExitCode: number | null,
 *   timedOut: boolean,
 *   output: string,
 *   note?: string,
 * }} LegReport
 */

/**
 * @typedef {object} ConformanceReport
 * @property {string} url
 * @property {string} [label]
 * @property {boolean} ok true when no leg has an unexpected failure or a stale baseline entry
 * @property {LegReport[]} legs one per requirement set run
 * @property {number} durationMs
 */

/**
 * Runs the official MCP conformance suite's server scenarios against `url` for one or both
 * requirement sets and compares the outcome with an expected-failures baseline.
 *
 * @param {RunConformanceOptions} options
 * @returns {Promise<ConformanceReport>}
 * @throws {TypeError} on a bad option (URL, requirement set, engine)
 * @throws {import('./baseline.mjs').BaselineError} on a malformed baseline
 * @throws {EngineUnavailableError} when no suite can run the requested set on this machine
 */
export async function runConformance(options) {
  const started = Date.now();
  const url = checkUrl(options.url);
  const requirements = options.requirements ?? 'both';
  if (
    requirements !== 'both' &&
    !(/** @type {readonly string[]} */ (REQUIREMENT_SETS).includes(requirements))
  ) {
    throw new TypeError(`requirements must be 2025-11-25, 2026-07-28 or both, received "${requirements}"`);
  }
  const engine = options.engine ?? 'auto';
  if (!['auto', 'next', 'stable'].includes(engine)) {
    throw new TypeError(`engine must be auto, next or stable, received "${engine}"`);
  }
  const baseline =
    typeof options.expectedFailures === 'string'
      ? loadBaseline(options.expectedFailures)
      : validateBaseline(options.expectedFailures ?? {}, 'expectedFailures');
  const revisions = requirements === 'both' ? [...REQUIREMENT_SETS] : [requirements];
  const headers = Object.entries(options.headers ?? {});
  const proxy = headers.length > 0 ? await startHeaderProxy(url, Object.fromEntries(headers)) : undefined;
  /** @type {LegReport[]} */
  const legs = [];
  try {
    for (const revision of revisions) {
      legs.push(await runLeg(proxy?.url ?? url, revision, engine, baseline[revision] ?? [], options));
    }
  } finally {
    await proxy?.close();
  }
  return {
    url,
    ...(options.label ? { label: options.label } : {}),
    ok: legs.every((leg) => leg.unexpected.length === 0 && leg.stale.length === 0),
    legs,
    durationMs: Date.now() - started,
  };
}

/** @param {unknown} value */
function checkUrl(value) {
  let parsed;
  try {
    parsed = new URL(String(value));
  } catch {
    throw new TypeError(`url must be an http(s) URL of an MCP endpoint, received "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`url must use http or https, received "${parsed.protocol}"`);
  }
  return parsed.toString();
}

/**
 * @param {string} revision
 * @param {'auto' | 'next' | 'stable'} choice
 * @returns {{ engine: import('./engines.mjs').SuiteEngine, note?: string }}
 */
function pickEngine(revision, choice) {
  if (choice === 'stable') {
    if (revision !== '2025-11-25') {
      throw new EngineUnavailableError(
        `the stable suite (0.1.x) has no ${revision} scenarios; use engine next`,
      );
    }
    return { engine: stableEngine() };
  }
  try {
    return { engine: nextEngine() };
  } catch (error) {
    if (choice === 'auto' && revision === '2025-11-25' && error instanceof EngineUnavailableError) {
      return { engine: stableEngine(), note: `fell back to the stable suite: ${error.message}` };
    }
    throw error;
  }
}

/**
 * @param {string} url
 * @param {string} revision
 * @param {'auto' | 'next' | 'stable'} choice
 * @param {import('./baseline.mjs').BaselineEntry[]} entries
 * @param {RunConformanceOptions} options
 * @returns {Promise<LegReport>}
 */
async function runLeg(url, revision, choice, entries, options) {
  const started = Date.now();
  const { engine, note } = pickEngine(revision, choice);
  const timeoutMs = options.timeoutMs ?? 600_000;
  // The 0.1.x suite has no requirement sets: what its default ("active") run covers is the 2025-11-25
  // set, read back from its own summary once it has run.
  const set = engine.supportsRequirements
    ? loadRequirementSet(engine.packageDir, revision)
    : { revision, scored: /** @type {string[]} */ ([]), unscored: new Map() };
  const dir = options.outputDir ?? mkdtempSync(join(tmpdir(), `conformance-${revision}-`));
  try {
    const base = ['server', '--url', url, '-o', dir];
    if (engine.supportsRequirements) base.push('--timeout', String(options.scenarioTimeoutMs ?? 30_000));
    const runs = [];
    if (options.scenarios?.length) {
      set.scored = set.scored.filter((name) => options.scenarios?.includes(name));
      for (const name of options.scenarios) {
        const pin = engine.supportsRequirements ? ['--spec-version', revision, '--force'] : [];
        runs.push(
          await spawnSuite(engine, [...base, '--scenario', name, ...pin], { timeoutMs, ...hook(options) }),
        );
      }
    } else {
      const select = engine.supportsRequirements ? ['--requirements', revision] : [];
      runs.push(await spawnSuite(engine, [...base, ...select], { timeoutMs, ...hook(options) }));
    }
    const timedOut = runs.some((run) => run.timedOut);
    const last = runs.at(-1);
    const missingWhy = timedOut
      ? `the suite was killed after ${timeoutMs} ms before it wrote a result for this scenario`
      : `the suite wrote no result for this scenario (exit code ${last?.exitCode}); see the suite output`;
    const outcomes = readResults(dir);
    if (!engine.supportsRequirements)
      set.scored = stableScenarios(runs.map((run) => run.output).join('\n'), outcomes);
    if (options.scenarios?.length) {
      for (const name of [...outcomes.keys()]) if (!options.scenarios.includes(name)) outcomes.delete(name);
    }
    return {
      revision,
      engine: { name: engine.name, version: engine.version, node: engine.node },
      ...evaluate(set, outcomes, entries, missingWhy),
      durationMs: Date.now() - started,
      suiteExitCode: last?.exitCode ?? null,
      timedOut,
      output: runs.map((run) => run.output).join('\n'),
      ...(note ? { note } : {}),
    };
  } finally {
    if (!options.outputDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {RunConformanceOptions} options */
const hook = (options) => (options.onOutput ? { onOutput: options.onOutput } : {});

/**
 * The scenarios a 0.1.x run covered: those named in its closing summary (`✓ name: 2 passed, 0 failed`)
 * plus those it wrote results for. A run that produced neither reports one missing pseudo-scenario so
 * it can never pass by running nothing.
 *
 * @param {string} output
 * @param {Map<string, unknown>} outcomes
 */
function stableScenarios(output, outcomes) {
  const summary = output.slice(output.lastIndexOf('=== SUMMARY ==='));
  const names = new Set([...summary.matchAll(/^[✓✗] ([\w/-]+): \d+ passed/gm)].map((m) => String(m[1])));
  for (const name of outcomes.keys()) names.add(name);
  return names.size > 0 ? [...names] : ['(stable suite run)'];
}
