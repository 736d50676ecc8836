import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { REQUIREMENT_SETS } from './requirement-sets.mjs';

/**
 * @typedef {object} BaselineEntry
 * @property {string} scenario the scenario allowed to fail
 * @property {string} [check] when set, only this check of the scenario may fail
 * @property {string} reason why it fails and what would fix it (required: an unexplained entry is rejected)
 */

/** @typedef {Partial<Record<string, BaselineEntry[]>>} Baseline expected failures by requirement set */

/** Error for a malformed expected-failures file; the message names the file and the entry. */
export class BaselineError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'BaselineError';
  }
}

const ENTRY_KEYS = new Set(['scenario', 'check', 'reason']);

/**
 * Validates an expected-failures document:
 *
 * ```yaml
 * 2025-11-25: []
 * 2026-07-28:
 *   - scenario: caching
 *     check: caching-tools-list-present   # optional: only this check may fail
 *     reason: why it fails and what fixes it
 * ```
 *
 * @param {unknown} doc parsed YAML (or an object given through the JS API)
 * @param {string} source where it came from, for error messages
 * @returns {Baseline}
 * @throws {BaselineError}
 */
export function validateBaseline(doc, source) {
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new BaselineError(`${source}: expected a mapping of requirement set → list of entries`);
  }
  /** @type {Baseline} */
  const baseline = {};
  for (const [revision, list] of Object.entries(doc)) {
    if (!(/** @type {readonly string[]} */ (REQUIREMENT_SETS).includes(revision))) {
      throw new BaselineError(
        `${source}: unknown requirement set "${revision}" (expected ${REQUIREMENT_SETS.join(' or ')})`,
      );
    }
    if (list === null) {
      baseline[revision] = [];
      continue;
    }
    if (!Array.isArray(list)) throw new BaselineError(`${source}: "${revision}" must be a list of entries`);
    const seen = new Set();
    const seenScenarios = new Set();
    baseline[revision] = list.map((raw, index) => {
      const where = `${source}: ${revision}[${index}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new BaselineError(
          `${where}: expected { scenario, check?, reason }, received ${JSON.stringify(raw)}`,
        );
      }
      const unknown = Object.keys(raw).filter((key) => !ENTRY_KEYS.has(key));
      if (unknown.length > 0) throw new BaselineError(`${where}: unknown field(s) ${unknown.join(', ')}`);
      const { scenario, check, reason } = /** @type {Record<string, unknown>} */ (raw);
      if (typeof scenario !== 'string' || scenario === '')
        throw new BaselineError(`${where}: "scenario" is required`);
      if (check !== undefined && (typeof check !== 'string' || check === '')) {
        throw new BaselineError(`${where}: "check" must be a non-empty string when given`);
      }
      if (typeof reason !== 'string' || reason.trim().length < 10) {
        throw new BaselineError(
          `${where}: "reason" must justify the entry (why it fails, what would fix it)`,
        );
      }
      // A whole-scenario entry already covers every check of that scenario; anything else is a duplicate.
      const pair = `${scenario}:${check ?? '*'}`;
      if (
        seen.has(`${scenario}:*`) ||
        seen.has(pair) ||
        (check === undefined && seenScenarios.has(scenario))
      ) {
        throw new BaselineError(
          `${where}: ${scenario} is listed more than once (a whole-scenario entry covers its checks)`,
        );
      }
      seen.add(pair);
      seenScenarios.add(scenario);
      return { scenario, ...(check === undefined ? {} : { check: /** @type {string} */ (check) }), reason };
    });
  }
  return baseline;
}

/**
 * Reads and validates an expected-failures YAML file.
 *
 * @param {string} path
 * @returns {Baseline}
 * @throws {BaselineError} when the file is unreadable or malformed
 */
export function loadBaseline(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BaselineError(
      `cannot read expected-failures file ${path}: ${/** @type {Error} */ (error).message}`,
    );
  }
  let doc;
  try {
    doc = parse(text);
  } catch (error) {
    throw new BaselineError(`${path}: invalid YAML: ${/** @type {Error} */ (error).message}`);
  }
  return validateBaseline(doc, path);
}
