// Renders the gateway bench's results for the "Gateway: tools/call through a virtual server" section
// of BENCHMARKS.md and writes them in place, each part between its own markers, so a run of one part
// (e.g. the soak) leaves the others as they were.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes.mjs';

const FILE = join(root, 'BENCHMARKS.md');
const HEADING = '## Gateway: tools/call through a virtual server';
const NEXT_HEADING = '## Authentication and authorization overhead';
const ERA = { modern: '2026-07-28 stateless', legacy: '2025-11-25 session' };
const size = (b) => (b >= 1024 ? `${b / 1024} KB` : `${b} B`);
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const fix = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const mb = (v) => (v / 1048576).toFixed(1);
const signed = (v, d) => (Number.isFinite(v) ? `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(d)}` : 'n/a');

/** Issue 5's targets, checked against the medians: [{ met, text }]. */
export function verdicts(rows, memory) {
  const find = (name, era, payloadBytes, clients) =>
    rows.find(
      (r) => r.name === name && r.era === era && r.payloadBytes === payloadBytes && r.clients === clients,
    );
  const out = [];
  const top = Math.max(...rows.map((r) => r.clients));
  const low = Math.min(...rows.map((r) => r.clients));
  for (const era of ['modern', 'legacy']) {
    const g = find('gateway', era, 100, top);
    const d = find('direct', era, 100, top);
    if (g) {
      out.push({
        met: g.rps >= 10_000,
        text: `throughput through a virtual server, ${ERA[era]}, ${top} clients, 100 B: ${int(g.rps)} req/s vs target ≥ 10,000 (${g.rps >= 10_000 ? 'met by' : 'missed by'} ${fix(Math.abs(g.rps / 10_000 - 1) * 100, 0)} %; direct ${int(d?.rps)} req/s)`,
      });
      out.push({
        met: g.p99 <= 10,
        text: `p99 at ${top} clients, ${ERA[era]}, 100 B: ${fix(g.p99, 2)} ms vs target ≤ 10 ms (${g.p99 <= 10 ? 'under by' : 'over by'} ${fix(Math.abs(10 - g.p99), 2)} ms)`,
      });
    }
    const g1 = find('gateway', era, 100, low);
    const d1 = find('direct', era, 100, low);
    if (g1 && d1) {
      const added = g1.p50 - d1.p50;
      out.push({
        met: added <= 0.25,
        text: `added p50 at ${low} client, ${ERA[era]}, 100 B: ${fix(added, 3)} ms (gateway ${fix(g1.p50, 3)} − direct ${fix(d1.p50, 3)}) vs target ≤ 0.25 ms (${added <= 0.25 ? 'under by' : 'over by'} ${fix(Math.abs(0.25 - added), 3)} ms)`,
      });
    }
  }
  if (memory) {
    const kb = memory.heapPerSession / 1024;
    out.push({
      met: kb <= 50,
      text: `idle 2025-11-25 session through the gateway: ${fix(kb, 2)} KB retained (heap + external after GC, ${memory.sessions} sessions; RSS grew ${fix(memory.rssPerSession / 1024, 2)} KB per session) vs target ≤ 50 KB (${kb <= 50 ? `${fix(50 / Math.max(kb, 0.001), 1)}× under` : `${fix(kb / 50, 1)}× over`})`,
    });
  }
  return out;
}

/** Markdown of the load part: command, machine, table, ratios, targets, memory, profile. */
export function renderLoad({ rows, checks, memory, profile, runs, durationMs, warmupMs, machine, loads }) {
  const lines = [
    `Command: \`pnpm build && RUNS=${runs} DURATION_MS=${durationMs} WARMUP_MS=${warmupMs} pnpm bench gateway${profile ? ' --profile' : ''}\` (tools/bench/gateway).`,
    `Machine: ${machine}; 1-minute load average ${loads[0].toFixed(2)} at the start and ${loads[1].toFixed(2)} at the end (2 cores shared by the load generator, the gateway and the upstream; other jobs may run too).`,
    '',
    'Separate processes: the load generator (`load.mjs`: N clients, each a closed loop of `tools/call` over one keep-alive',
    'HTTP/1.1 connection of an undici Pool), the gateway (`contextforge serve` from packages/gateway/dist: SQLite',
    'file, `AUTH_REQUIRED=true`, the client sends an API token, rate limiting on with a ceiling it never reaches,',
    '`LOG_LEVEL=error`) and the upstream (`servers/echo-http`, raw `node:http`, JSON responses). **direct** =',
    'load generator → upstream; **gateway** = load generator → `/servers/{id}/mcp` (a virtual server holding the',
    "upstream's `echo` tool) → upstream; **floor** = load generator → `floor-proxy.mjs` (a bare `node:http` server relaying",
    'body and MCP headers through an undici Pool: no MCP, auth, registry or validation — the cost of one more HTTP hop in',
    'Node, the least any Node gateway can cost) → upstream. 2026-07-28: stateless requests with the mirrored headers and the `_meta`',
    'envelope; 2025-11-25: one session per client (initialize once, then calls with `Mcp-Session-Id`). Contenders',
    `interleaved in every run (order reversed every other run); medians of ${runs} runs of ${durationMs / 1000} s after a ${warmupMs / 1000} s warm-up.`,
    "CPU µs/call is the relay's (gateway or floor) and the upstream's user+system time over the measured window divided",
    'by the calls (from /proc, 10 ms ticks; on a loaded VM it also absorbs scheduling and steal). "CPU ceiling" = 1 s ÷ that:',
    'the most calls/s the relay could serve with a whole core to itself at that cost — less sensitive to other jobs than req/s.',
    '',
    '| payload | clients | contender | era | req/s | p50 ms | p99 ms | relay CPU µs/call | relay CPU ceiling req/s | upstream CPU µs/call | req/s vs direct | req/s vs floor | added p50 ms vs direct | errors |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const same = (name, era) =>
      rows.find(
        (x) =>
          x.name === name && x.era === era && x.payloadBytes === r.payloadBytes && x.clients === r.clients,
      );
    const d = same('direct', r.era);
    const f = same('floor', 'modern');
    const relay = r.name !== 'direct';
    const label = { direct: 'direct', floor: 'floor (bare relay)', gateway: '**gateway**' }[r.name];
    lines.push(
      `| ${size(r.payloadBytes)} | ${r.clients} | ${label} | ${r.name === 'floor' ? 'either (relayed)' : ERA[r.era]} | ${int(r.rps)} | ${fix(r.p50, 3)} | ${fix(r.p99, 3)} | ${relay ? fix(r.gatewayCpu, 0) : '—'} | ${relay ? int(1e6 / r.gatewayCpu) : '—'} | ${fix(r.upstreamCpu, 0)} | ${relay ? `${fix(r.rps / d.rps, 2)}×` : '—'} | ${r.name === 'gateway' && f ? `${fix(r.rps / f.rps, 2)}×` : '—'} | ${relay ? signed(r.p50 - d.p50, 3) : '—'} | ${r.errors} |`,
    );
  }
  lines.push('', 'Targets of issue 5 (2 cores, load generator on the same machine):', '');
  for (const c of checks) lines.push(`- ${c.met ? '**met**' : '**missed**'}: ${c.text}`);
  if (memory) {
    lines.push(
      '',
      `Idle sessions: ${memory.sessions} 2025-11-25 sessions opened through \`/servers/{id}/mcp\` (initialize + initialized, then idle); the gateway's heap + external memory after a full GC grew by ${fix(memory.heapPerSession / 1024, 2)} KB per session (RSS: ${fix(memory.rssPerSession / 1024, 2)} KB per session; RSS also moves with allocator slack and memory returned after GC, so it can even shrink).`,
    );
  }
  if (profile) {
    lines.push(
      '',
      `Where the gateway's time goes: CPU profile of the gateway process (node:inspector's sampler, 100 µs) during one extra ${profile.clients}-client, ${size(profile.payloadBytes)}, ${ERA[profile.era]} run (${int(profile.rps)} req/s under the profiler, ${fix(profile.cpu, 0)} µs of gateway CPU per call; ${fix(profile.idlePct, 1)} % of samples idle). Self time as a share of busy samples; native frames (syscalls, C++ bindings) are named by their JS caller; bundled gateway-core frames are mapped to their TypeScript source.`,
      '',
      '| self % | function | where |',
      '|---:|---|---|',
      ...profile.functions
        .slice(0, 20)
        .map((f) => `| ${fix(f.selfPct, 1)} | \`${f.name}\` | ${f.where || '—'} |`),
      '',
      "Inclusive time of the gateway's own functions (share of busy samples with the function on the stack):",
      '',
      '| total % | function | where |',
      '|---:|---|---|',
      ...profile.ours.slice(0, 20).map((f) => `| ${fix(f.totalPct, 1)} | \`${f.name}\` | ${f.where} |`),
      '',
      '| self % | area |',
      '|---:|---|',
      ...profile.areas.filter((a) => a.selfPct >= 0.5).map((a) => `| ${fix(a.selfPct, 1)} | ${a.area} |`),
    );
  }
  return lines.join('\n');
}

/** Markdown of the aggregated-endpoint comparison with mcp-hub. */
export function renderHub({ rows, peerVersion, runs, durationMs, warmupMs, machine, note, loads }) {
  const lines = [
    '### Aggregated endpoint (`/mcp`) vs mcp-hub',
    '',
    `Command: \`pnpm build && RUNS=${runs} DURATION_MS=${durationMs} WARMUP_MS=${warmupMs} pnpm bench gateway\` (part \`hub\`). Machine: ${machine}; 1-minute load average ${loads[0].toFixed(2)} / ${loads[1].toFixed(2)} at start / end.`,
    note,
    '',
  ];
  for (const v of hubVerdicts(rows, peerVersion))
    lines.push(`- ${v.met ? '**met**' : '**missed**'}: ${v.text}`);
  lines.push(
    '',
    '| contender | clients | req/s | p50 ms | p99 ms | server CPU µs/call | req/s vs mcp-hub | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const peer = rows.find((x) => !x.ours && x.clients === r.clients);
      return `| ${r.ours ? `**${r.name}**` : r.name} | ${r.clients} | ${int(r.rps)} | ${fix(r.p50, 3)} | ${fix(r.p99, 3)} | ${fix(r.cpu, 0)} | ${r.ours ? `${fix(r.rps / peer.rps, 2)}×` : '—'} | ${r.errors} |`;
    }),
  );
  return lines.join('\n');
}

/** The ≥ 3× target at the highest client count: for the best of ours and for the same-transport row. */
export function hubVerdicts(rows, peerVersion) {
  const top = Math.max(...rows.map((r) => r.clients));
  const peer = rows.find((r) => !r.ours && r.clients === top);
  const ours = rows.filter((r) => r.ours && r.clients === top);
  const picks = [
    ours.filter((r) => Number.isFinite(r.rps)).sort((a, b) => b.rps - a.rps)[0],
    ours.find((r) => r.sameTransport),
  ].filter((r, i, all) => r && all.indexOf(r) === i);
  return picks.map((r) => {
    const ratio = r.rps / peer.rps;
    return {
      met: ratio >= 3,
      text: `${top} clients, ${r.name} ${int(r.rps)} req/s vs mcp-hub ${peerVersion} ${int(peer.rps)} req/s → ${fix(ratio, 2)}× (target ≥ 3×; ${ratio >= 3 ? `${fix(ratio / 3, 2)}× the target` : `short by ${fix(3 - ratio, 2)}×`}); server CPU per call ${fix(r.cpu, 0)} vs ${fix(peer.cpu, 0)} µs (${fix(peer.cpu / r.cpu, 1)}× less)`,
    };
  });
}

/** Markdown of a soak run. */
export function renderSoak(s) {
  const lines = [
    `### Soak, ${s.durationMs / 1000} s`,
    '',
    `Command: \`SOAK_MS=${s.durationMs} PARTS=soak pnpm bench gateway\`. Machine: ${s.machine}; 1-minute load average ${s.loads[0].toFixed(2)} / ${s.loads[1].toFixed(2)} at start / end.`,
    `${s.rate.toLocaleString('en-US')} req/s paced (32 clients, 100 B, ${ERA[s.era]}) through \`/servers/{id}/mcp\` for ${s.durationMs / 1000} s: ${int(s.calls)} calls at ${int(s.achieved)} req/s achieved, **${s.errors} errors**${s.firstError ? ` (first: ${s.firstError})` : ''}, p50 ${fix(s.p50, 3)} ms, p99 ${fix(s.p99, 3)} ms, gateway CPU ${fix(s.gatewayCpu, 0)} µs/call.`,
    `Gateway RSS (sampled every 10 s): ${mb(s.rssBefore)} MB before the load, first sample under load ${mb(s.rssFirst)} MB, last ${mb(s.rssLast)} MB, max ${mb(s.rssMax)} MB. Heap + external after a full GC: ${mb(s.heapBefore)} MB before the load, ${mb(s.heapAfter)} MB after it.`,
    '',
    `RSS MB every 10 s: ${s.samples
      .slice(1)
      .map((x) => mb(x.rss))
      .join(', ')}`,
  ];
  return lines.join('\n');
}

/** Writes `markdown` between `<!-- bench:<name>:start/end -->` in the section (created if missing). */
export function writeBlock(name, markdown) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown}\n${end}`;
  let text = readFileSync(FILE, 'utf8');
  if (!text.includes(HEADING)) {
    const at = text.indexOf(NEXT_HEADING);
    const section = `${HEADING}\n\n`;
    text = at === -1 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, at)}${section}${text.slice(at)}`;
  }
  if (text.includes(start)) {
    const a = text.indexOf(start);
    const b = text.indexOf(end, a);
    text = `${text.slice(0, a)}${block}${text.slice(b + end.length)}`;
  } else {
    // At the end of the section, before the next "## ".
    const at = text.indexOf(HEADING);
    const next = text.indexOf('\n## ', at + HEADING.length);
    const cut = next === -1 ? text.length : next + 1;
    text = `${text.slice(0, cut).trimEnd()}\n\n${block}\n\n${text.slice(cut)}`;
  }
  writeFileSync(FILE, text);
  console.log(`wrote ${name} results into ${FILE}`);
}
