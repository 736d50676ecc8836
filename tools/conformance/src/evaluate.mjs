import { missingOutcome } from './read-results.mjs';

/**
 * @typedef {'pass' | 'expected-failure' | 'unexpected-failure' | 'unscored-pass' | 'unscored-failure'} Verdict
 */

/**
 * @typedef {object} ScenarioReport
 * @property {string} name
 * @property {boolean} scored whether the requirement set scores it
 * @property {string} [unscoredReason] why it is run without scoring (extension, pending, …)
 * @property {Verdict} verdict
 * @property {import('./read-results.mjs').ScenarioOutcome} outcome
 */

/**
 * @typedef {object} Evaluation
 * @property {ScenarioReport[]} scenarios every scenario run or expected, scored first
 * @property {string[]} unexpected scored failures the baseline does not cover (`scenario` or `scenario:check`)
 * @property {string[]} stale baseline entries that no longer fail (or name no scored scenario)
 * @property {string[]} expected failures the baseline covers
 */

/**
 * Compares a requirement set's outcomes with its baseline. Only scored scenarios decide the verdict:
 * a scored failure not covered by the baseline is unexpected, and a baseline entry whose scenario (or
 * check) passes, or that names no scored scenario, is stale. Unscored scenarios are reported only.
 *
 * @param {{ scored: string[], unscored: Map<string, string> }} set
 * @param {Map<string, import('./read-results.mjs').ScenarioOutcome>} outcomes
 * @param {import('./baseline.mjs').BaselineEntry[]} entries
 * @param {string} missingWhy text recorded for a scored scenario without a result
 * @returns {Evaluation}
 */
export function evaluate(set, outcomes, entries, missingWhy) {
  /** @type {Evaluation} */
  const evaluation = { scenarios: [], unexpected: [], stale: [], expected: [] };
  const scored = new Set(set.scored);
  for (const entry of entries) {
    if (!scored.has(entry.scenario))
      evaluation.stale.push(`${label(entry)} (not a scored scenario of this set)`);
  }
  for (const name of set.scored) {
    const outcome = outcomes.get(name) ?? missingOutcome(name, missingWhy);
    const mine = entries.filter((e) => e.scenario === name);
    /** @type {Verdict} */
    let verdict = 'pass';
    if (outcome.status === 'failed') {
      const whole = mine.some((e) => e.check === undefined);
      const uncovered = whole ? [] : outcome.failures.filter((f) => !mine.some((e) => e.check === f.id));
      verdict = uncovered.length === 0 && mine.length > 0 ? 'expected-failure' : 'unexpected-failure';
      if (verdict === 'unexpected-failure') {
        evaluation.unexpected.push(...(mine.length === 0 ? [name] : uncovered.map((f) => `${name}:${f.id}`)));
      } else {
        evaluation.expected.push(...mine.map(label));
      }
    }
    for (const entry of mine) {
      const stillFails =
        outcome.status === 'failed' &&
        (entry.check === undefined || outcome.failures.some((f) => f.id === entry.check));
      if (!stillFails) evaluation.stale.push(`${label(entry)} (now passes)`);
    }
    evaluation.scenarios.push({ name, scored: true, verdict, outcome });
  }
  for (const [name, outcome] of outcomes) {
    if (scored.has(name)) continue;
    evaluation.scenarios.push({
      name,
      scored: false,
      unscoredReason: set.unscored.get(name) ?? 'not in the requirement set',
      verdict: outcome.status === 'passed' ? 'unscored-pass' : 'unscored-failure',
      outcome,
    });
  }
  return evaluation;
}

/** @param {import('./baseline.mjs').BaselineEntry} entry */
const label = (entry) => (entry.check ? `${entry.scenario}:${entry.check}` : entry.scenario);
