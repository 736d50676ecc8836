/** @type {Record<import('./evaluate.mjs').Verdict, string>} */
const MARK = {
  pass: '✓',
  'expected-failure': '~',
  'unexpected-failure': '✗',
  'unscored-pass': '✓',
  'unscored-failure': '·',
};

/**
 * Renders a conformance report as plain text: one line per scenario (scored first), the failing checks
 * under each failure, then per requirement set the verdict and what to do about it.
 *
 * @param {import('./run-conformance.mjs').ConformanceReport} report
 * @param {{ verbose?: boolean }} [options] `verbose` appends the suite's raw output of failing legs
 * @returns {string}
 */
export function formatReport(report, { verbose = false } = {}) {
  const lines = [`Conformance: ${report.label ? `${report.label} ` : ''}${report.url}`];
  for (const leg of report.legs) {
    const scored = leg.scenarios.filter((s) => s.scored);
    const passed = scored.filter((s) => s.verdict === 'pass').length;
    lines.push(
      '',
      `== ${leg.revision} (suite ${leg.engine.version}, ${(leg.durationMs / 1000).toFixed(1)} s) ==`,
      ...(leg.note ? [`note: ${leg.note}`] : []),
    );
    for (const scenario of leg.scenarios) {
      const { outcome } = scenario;
      const counts = `${outcome.passed} passed, ${outcome.failed} failed${outcome.warnings ? `, ${outcome.warnings} warnings` : ''}`;
      const tag = scenario.scored ? '' : ` [not scored: ${scenario.unscoredReason?.split(':')[0]}]`;
      lines.push(`${MARK[scenario.verdict]} ${scenario.name}: ${counts}${tag}`);
      if (scenario.verdict === 'unexpected-failure' || (verbose && outcome.failures.length > 0)) {
        for (const failure of outcome.failures)
          lines.push(`    - ${failure.id}${failure.message ? `: ${failure.message}` : ''}`);
      }
    }
    const unscored = leg.scenarios.length - scored.length;
    lines.push(
      `${leg.revision}: ${passed}/${scored.length} scored scenarios passed` +
        (leg.expected.length ? `, ${leg.expected.length} expected failure(s)` : '') +
        (unscored ? `; ${unscored} run without scoring` : ''),
    );
    if (leg.unexpected.length)
      lines.push(`UNEXPECTED FAILURES (${leg.revision}): ${leg.unexpected.join(', ')}`);
    if (leg.stale.length)
      lines.push(`STALE BASELINE ENTRIES (${leg.revision}), remove them: ${leg.stale.join('; ')}`);
    if (leg.timedOut) lines.push(`the suite was killed: it exceeded its time limit`);
    if (verbose && (leg.unexpected.length || leg.timedOut))
      lines.push('--- suite output ---', leg.output.trimEnd());
  }
  lines.push('', `${report.ok ? 'PASS' : 'FAIL'} in ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
