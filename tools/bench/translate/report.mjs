// Renders the bench results as the "mcp-translate vs supergateway vs mcp-proxy" section of
// BENCHMARKS.md and writes it in place (only that section).

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const HEADING = '## mcp-translate vs supergateway vs mcp-proxy';
const mb = (bytes) => (bytes / 1048576).toFixed(1);
const fixed = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

function verdict(summary, kind, clients) {
  const rows = summary.filter((r) => r.kind === kind && r.clients === clients);
  const best = rows.filter((r) => r.ours).sort((a, b) => b.rps - a.rps)[0];
  const peer = rows.filter((r) => !r.ours).sort((a, b) => b.rps - a.rps)[0];
  if (!best || !peer) return '';
  return (
    `${kind === 'sse' ? 'legacy SSE' : 'streamable HTTP'} at ${clients} clients: ${best.name} ${fixed(best.rps)} calls/s, ` +
    `p99 ${fixed(best.p99, 2)} ms vs best peer ${peer.name} ${fixed(peer.rps)} calls/s, p99 ${fixed(peer.p99, 2)} ms → ` +
    `**${fixed(best.rps / peer.rps, 2)}× throughput**, p99 ${fixed(peer.p99 / best.p99, 2)}× lower`
  );
}

/** Markdown for the section (heading included). */
export function renderSection({ summary, idle, clients, runs, durationMs, warmupMs, peers, loadAverages }) {
  const top = Math.max(...clients);
  const lines = [
    HEADING,
    '',
    `Command: \`pnpm build && pnpm bench translate\` (tools/bench/translate; env RUNS=${runs}, DURATION_MS=${durationMs}, WARMUP_MS=${warmupMs}).`,
    `Every bridge fronts the same stdio server (\`servers/echo-stdio\`); each client opens its own session (initialize + initialized) and then calls \`tools/call echo\` in a closed loop over keep-alive HTTP. Contenders are interleaved within each run; values are medians of ${runs} runs of ${durationMs / 1000} s after ${warmupMs} ms warm-up; peak RSS is the bridge process plus all its children. Peers: ${Object.entries(
      peers,
    )
      .map(([n, v]) => `${n} ${v}`)
      .join(
        ', ',
      )}; Node ${process.version}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared with the load generator.`,
    loadAverages
      ? `1-minute load average ${loadAverages[0].toFixed(1)} at the start and ${loadAverages[1].toFixed(1)} at the end of the run: other jobs shared the machine, so absolute numbers are noisy; the ratios come from interleaved runs.`
      : '',
    '',
    `- ${verdict(summary, 'streamable', top)}`,
    `- ${verdict(summary, 'sse', top)}`,
    '',
    '| Transport | Bridge | Clients | calls/s | p50 ms | p99 ms | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of summary) {
    lines.push(
      `| ${r.kind === 'sse' ? 'SSE' : 'streamable HTTP'} | ${r.ours ? `**${r.name}**` : r.name} | ${r.clients} | ${fixed(r.rps)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${mb(r.peakRss)} |${r.errors ? ` (${r.errors} errors)` : ''}`,
    );
  }
  lines.push(
    '',
    'Memory per idle session (streamable HTTP; sessions opened with initialize + initialized, then left idle; RSS of the bridge and its children, after minus before):',
    '',
  );
  lines.push('| Bridge | Sessions | KB per idle session |', '|---|---:|---:|');
  for (const r of idle)
    lines.push(`| ${r.ours ? `**${r.name}**` : r.name} | ${r.sessions} | ${fixed(r.perSession / 1024, 1)} |`);
  lines.push(
    '',
    'supergateway `--stateful` runs one child process per session (its only stateful mode), hence its per-session cost; its stateless mode spawns a child per request and is not a fair comparison for throughput.',
    '',
  );
  return lines.join('\n');
}

/** Replaces the section in BENCHMARKS.md (from its heading to the next "## "). */
export function writeSection(file, section) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(HEADING);
  if (start === -1) throw new Error(`${file} has no "${HEADING}" section`);
  const next = text.indexOf('\n## ', start + HEADING.length);
  const end = next === -1 ? text.length : next + 1;
  writeFileSync(file, `${text.slice(0, start)}${section}\n${text.slice(end)}`);
  console.log(`wrote the results into ${file}`);
}
