import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} CheckOutcome
 * @property {string} id the suite's check id
 * @property {'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO' | string} status
 * @property {string} [message] the check's error message, when it has one
 */

/**
 * @typedef {object} ScenarioOutcome
 * @property {string} name scenario name
 * @property {'passed' | 'failed'} status failed when any check failed, or when no result was written
 * @property {number} passed checks with status SUCCESS
 * @property {number} failed checks with status FAILURE
 * @property {number} warnings checks with status WARNING
 * @property {CheckOutcome[]} failures the failing checks
 */

/** `server-<scenario>-<ISO timestamp with - for :>`, as the suite names each result folder. */
const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * Reads the per-scenario `checks.json` files the suite wrote with `--output-dir`.
 *
 * @param {string} dir the output directory
 * @returns {Map<string, ScenarioOutcome>} by scenario name
 */
export function readResults(dir) {
  /** @type {Map<string, ScenarioOutcome>} */
  const outcomes = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const match = entry.isDirectory() ? RESULT_DIR.exec(entry.name) : null;
    if (!match?.[1]) continue;
    /** @type {Array<{ id: string, status: string, errorMessage?: string }>} */
    let checks;
    try {
      checks = JSON.parse(readFileSync(join(dir, entry.name, 'checks.json'), 'utf8'));
    } catch {
      // A scenario that crashed before writing its checks is reported as missing by the caller.
      continue;
    }
    outcomes.set(match[1], summarise(match[1], checks));
  }
  return outcomes;
}

/**
 * @param {string} name
 * @param {Array<{ id: string, status: string, errorMessage?: string }>} checks
 * @returns {ScenarioOutcome}
 */
function summarise(name, checks) {
  const count = (/** @type {string} */ status) => checks.filter((c) => c.status === status).length;
  const failures = checks
    .filter((c) => c.status === 'FAILURE')
    .map((c) => ({ id: c.id, status: c.status, ...(c.errorMessage ? { message: c.errorMessage } : {}) }));
  return {
    name,
    status: failures.length > 0 ? 'failed' : 'passed',
    passed: count('SUCCESS'),
    failed: failures.length,
    warnings: count('WARNING'),
    failures,
  };
}

/**
 * The outcome recorded for a scenario the suite should have run but wrote no result for (it crashed,
 * or the whole run was killed).
 *
 * @param {string} name
 * @param {string} why
 * @returns {ScenarioOutcome}
 */
export function missingOutcome(name, why) {
  return {
    name,
    status: 'failed',
    passed: 0,
    failed: 1,
    warnings: 0,
    failures: [{ id: 'no-result', status: 'FAILURE', message: why }],
  };
}
