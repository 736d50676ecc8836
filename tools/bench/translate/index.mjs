#!/usr/bin/env node
// `pnpm bench translate`: mcp-translate vs supergateway vs mcp-proxy, all bridging the same stdio
// echo server (servers/echo-stdio), over streamable HTTP and legacy SSE, at 1, 8 and 32
// concurrent clients: throughput, p50/p99 latency and peak RSS (bridge + children), medians of
// RUNS runs; then memory per idle session. Results go to the console and BENCHMARKS.md.
//
// Env: RUNS (3), DURATION_MS (3000), WARMUP_MS (500), CLIENTS ("1,8,32"), IDLE_SESSIONS (500),
// NO_WRITE=1 (do not touch BENCHMARKS.md). Needs `pnpm build` first.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { contenders, installPeers, PEERS } from './contenders.mjs';
import { openIdleSessions, runLoad } from './load.mjs';
import { samplePeak, treeRss } from './process-tree.mjs';
import { renderSection, writeSection } from './report.mjs';

const root = join(import.meta.dirname, '..', '..', '..');
if (!existsSync(join(root, 'packages', 'translate', 'dist', 'cli.js'))) {
  console.error('bench translate: packages/translate/dist is missing; run "pnpm build" first');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS ?? 3);
const DURATION_MS = Number(process.env.DURATION_MS ?? 3000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 500);
const CLIENTS = (process.env.CLIENTS ?? '1,8,32').split(',').map(Number);
const IDLE_SESSIONS = Number(process.env.IDLE_SESSIONS ?? 500);

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
};

const loadAtStart = loadavg()[0];
const peers = installPeers();
const all = contenders(peers);
const load = [];
for (const clients of CLIENTS) {
  for (let run = 0; run < RUNS; run++) {
    // Interleave contenders within each run so machine noise hits all of them alike.
    for (const contender of all) {
      const running = await contender.start();
      const peak = samplePeak(running.pid);
      let result;
      try {
        result = await runLoad({
          kind: contender.kind,
          url: running.url,
          clients,
          warmupMs: WARMUP_MS,
          durationMs: DURATION_MS,
        });
      } catch (error) {
        console.error(`  ${contender.kind} ${contender.name} @${clients}: ${error.message}`);
        result = { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, errors: 1 };
      }
      const peakRss = peak();
      await running.stop();
      load.push({
        name: contender.name,
        kind: contender.kind,
        ours: Boolean(contender.ours),
        clients,
        run,
        ...result,
        peakRss,
      });
      console.log(
        `${contender.kind.padEnd(10)} ${contender.name.padEnd(34)} clients=${String(clients).padStart(2)} run=${run + 1}: ` +
          `${result.rps.toFixed(0).padStart(6)} calls/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  ` +
          `peak RSS ${(peakRss / 1048576).toFixed(1)} MB${result.errors ? `  errors ${result.errors}` : ''}`,
      );
    }
  }
}

const summary = [];
for (const contender of all) {
  for (const clients of CLIENTS) {
    const rows = load.filter(
      (r) => r.name === contender.name && r.kind === contender.kind && r.clients === clients,
    );
    summary.push({
      name: contender.name,
      kind: contender.kind,
      ours: Boolean(contender.ours),
      clients,
      rps: median(rows.map((r) => r.rps)),
      p50: median(rows.map((r) => r.p50)),
      p99: median(rows.map((r) => r.p99)),
      peakRss: median(rows.map((r) => r.peakRss)),
      errors: rows.reduce((n, r) => n + (r.errors ?? 0), 0),
    });
  }
}

// Memory per idle session: shared-child bridges get IDLE_SESSIONS sessions; supergateway's
// stateful mode spawns a child per session, so it gets 20.
const idle = [];
for (const contender of all.filter(
  (c) => c.kind === 'streamable' && c.name !== 'mcp-translate (child per session)',
)) {
  const count = contender.name.startsWith('supergateway') ? 20 : IDLE_SESSIONS;
  const perSession = [];
  for (let run = 0; run < RUNS; run++) {
    const running = await contender.start();
    const closeWarm = await openIdleSessions({ kind: contender.kind, url: running.url, count: 1 });
    await new Promise((r) => setTimeout(r, 500));
    const before = treeRss(running.pid);
    const close = await openIdleSessions({ kind: contender.kind, url: running.url, count });
    await new Promise((r) => setTimeout(r, 1000));
    const after = treeRss(running.pid);
    perSession.push((after - before) / count);
    await close();
    await closeWarm();
    await running.stop();
  }
  const value = median(perSession);
  idle.push({
    name: contender.name,
    kind: contender.kind,
    ours: Boolean(contender.ours),
    sessions: count,
    perSession: value,
  });
  console.log(
    `idle sessions: ${contender.name.padEnd(30)} ${count} sessions → ${(value / 1024).toFixed(1)} KB per session`,
  );
}

const section = renderSection({
  summary,
  idle,
  clients: CLIENTS,
  runs: RUNS,
  durationMs: DURATION_MS,
  warmupMs: WARMUP_MS,
  peers: PEERS,
  loadAverages: [loadAtStart, loadavg()[0]],
});
console.log(`\n${section}`);
if (process.env.NO_WRITE !== '1') writeSection(join(root, 'BENCHMARKS.md'), section);
