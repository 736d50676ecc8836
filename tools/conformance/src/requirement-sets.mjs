import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The requirement sets (spec revisions) the runner knows. */
export const REQUIREMENT_SETS = /** @type {const} */ (['2025-11-25', '2026-07-28']);

/**
 * @typedef {object} RequirementSet
 * @property {string} revision e.g. `2026-07-28`
 * @property {string[]} scored the server scenarios conformance to the revision requires
 * @property {Map<string, string>} unscored server scenarios run for visibility only → why (`extension`, `pending`, …)
 */

/**
 * Reads a frozen requirement set (`requirements/<revision>.yaml`) shipped with the 0.2.x suite: which
 * server scenarios it scores and which it runs without scoring.
 *
 * @param {string} packageDir the suite package directory
 * @param {string} revision
 * @returns {RequirementSet}
 * @throws {Error} when the suite ships no such set
 */
export function loadRequirementSet(packageDir, revision) {
  let text;
  try {
    text = readFileSync(join(packageDir, 'requirements', `${revision}.yaml`), 'utf8');
  } catch {
    throw new Error(`the conformance suite in ${packageDir} has no requirement set ${revision}`);
  }
  /** @type {{ server?: string[], not_scored?: Array<{ scenario: string, leg: string, reason: string, note?: string }> }} */
  const doc = parse(text) ?? {};
  const unscored = new Map();
  for (const entry of doc.not_scored ?? []) {
    if (entry.leg === 'server')
      unscored.set(entry.scenario, entry.note ? `${entry.reason}: ${entry.note}` : entry.reason);
  }
  return { revision, scored: [...(doc.server ?? [])], unscored };
}
