/**
 * @contextforge-internal/conformance: runs the official MCP conformance suite's server scenarios
 * against any MCP endpoint and starts the conformance fixture for suites that need an upstream.
 */
export { BaselineError, loadBaseline, validateBaseline } from './baseline.mjs';
export { EngineUnavailableError, findModernNode, nextEngine, stableEngine } from './engines.mjs';
export { fixtureCliPath, fixtureStdioCommand, startFixtureProcess } from './fixture-process.mjs';
export { formatReport } from './format-report.mjs';
export { startHeaderProxy } from './header-proxy.mjs';
export { loadRequirementSet, REQUIREMENT_SETS } from './requirement-sets.mjs';
export { runConformance } from './run-conformance.mjs';

/** @typedef {import('./run-conformance.mjs').RunConformanceOptions} RunConformanceOptions */
/** @typedef {import('./run-conformance.mjs').ConformanceReport} ConformanceReport */
/** @typedef {import('./run-conformance.mjs').LegReport} LegReport */
/** @typedef {import('./evaluate.mjs').ScenarioReport} ScenarioReport */
/** @typedef {import('./baseline.mjs').Baseline} Baseline */
/** @typedef {import('./baseline.mjs').BaselineEntry} BaselineEntry */
/** @typedef {import('./fixture-process.mjs').FixtureProcess} FixtureProcess */
/** @typedef {import('./header-proxy.mjs').HeaderProxy} HeaderProxy */
