#!/usr/bin/env node
// `pnpm bench gateway [--profile]`: tools/call through the whole gateway (the `contextforge serve`
// CLI, authentication on, SQLite file) to a real upstream (servers/echo-http, raw node:http, both
// eras), side by side with the load generator calling the same upstream directly. Contenders are
// interleaved within each run (order reversed every other run), each cell is the median of RUNS
// runs; the load generator, the gateway, the floor relay and the upstream are separate processes.
//
// Parts (env PARTS, comma-separated; default "load,memory,hub", plus "soak" when SOAK_MS is set):
//   load    direct vs floor (a bare node:http → undici relay, floor-proxy.mjs) vs gateway
//           (2026-07-28 stateless and 2025-11-25 session), 1/8/32 clients, 100 B and 10 KB
//           payloads; targets of issue 5 checked and printed.
//   memory  memory per idle 2025-era session through /servers/{id}/mcp (retained heap after GC).
//   hub     the aggregated endpoint (/mcp) side by side with mcp-hub fronting the same upstream.
//   soak    SOAK_MS of paced load (SOAK_RATE, default 2,000 req/s) through the gateway: errors, RSS
//           every 10 s.
// With --profile (or PROFILE=1) the gateway is CPU-profiled during one more 32-client 100 B run
// (PROFILE_CLIENTS, PROFILE_PAYLOAD, PROFILE_ERA to change), and the top self-time functions are printed.
//
// Env: RUNS (3), DURATION_MS (2500), WARMUP_MS (700), PREWARM_MS (3000, once per contender),
// CLIENTS ("1,8,32"), PAYLOADS ("100,10240"), IDLE_SESSIONS (2000), SOAK_MS (off), SOAK_RATE (2000),
// SOAK_ERA (modern), NO_WRITE=1 (do not touch BENCHMARKS.md). Needs `pnpm build` first; the
// defaults take about 8 minutes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHub } from './hub.mjs';
import {
  ECHO_CLI,
  GATEWAY_CLI,
  root,
  rssOf,
  runLoad,
  startEcho,
  startFloorProxy,
  startGateway,
} from './processes.mjs';
import { summariseProfile } from './profile.mjs';
import { hubVerdicts, renderHub, renderLoad, renderSoak, verdicts, writeBlock } from './report.mjs';
import { createApiToken, login, registerEcho } from './setup.mjs';

for (const file of [ECHO_CLI, GATEWAY_CLI]) {
  if (!existsSync(file)) {
    console.error(`bench gateway: ${file} is missing; run "pnpm build" first`);
    process.exit(2);
  }
}
const RUNS = Number(process.env.RUNS ?? 3);
const DURATION_MS = Number(process.env.DURATION_MS ?? 2500);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 700);
const CLIENTS = (process.env.CLIENTS ?? '1,8,32').split(',').map(Number);
const PAYLOADS = (process.env.PAYLOADS ?? '100,10240').split(',').map(Number);
const PREWARM_MS = Number(process.env.PREWARM_MS ?? 3000);
const IDLE_SESSIONS = Number(process.env.IDLE_SESSIONS ?? 2000);
const SOAK_MS = Number(process.env.SOAK_MS ?? 0);
const SOAK_RATE = Number(process.env.SOAK_RATE ?? 2000);
const SOAK_ERA = process.env.SOAK_ERA ?? 'modern';
const PROFILE = process.argv.includes('--profile') || process.env.PROFILE === '1';
const PARTS = new Set(
  (process.env.PARTS ?? `load,memory,hub${SOAK_MS > 0 ? ',soak' : ''}`).split(',').map((s) => s.trim()),
);
const WRITE = process.env.NO_WRITE !== '1';
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
};
const commit = (() => {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    encoding: 'utf8',
  });
  return r.status === 0 ? `${r.stdout.trim()}${dirty.stdout.trim() ? ' + local changes' : ''}` : 'unknown';
})();
const machine = () =>
  `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, commit ${commit}`;

const loadAtStart = loadavg()[0];
console.log(`machine: ${machine()}; load average ${loadAtStart.toFixed(2)}`);
// Every process started is stopped at the end, also when a later start or the setup fails.
const stops = [];
const started = async (starting) => {
  const proc = await starting;
  stops.unshift(() => proc.stop());
  return proc;
};
let gateway;
try {
  const echo = await started(startEcho());
  const floor = await started(startFloorProxy(echo.url));
  gateway = await started(startGateway());
  const jwt = await login(gateway.url);
  const apiToken = await createApiToken(gateway.url, jwt);
  const reg = await registerEcho(gateway.url, jwt, echo.url);
  const serverUrl = `${gateway.url}/servers/${reg.serverId}/mcp`;
  console.log(
    `echo upstream ${echo.url}; gateway ${gateway.url}; virtual server ${reg.serverId} with tool ${reg.toolName}`,
  );
  const watch = { gateway: gateway.pid, floor: floor.pid, upstream: echo.pid };
  const contenders = [
    { name: 'direct', era: 'modern', url: echo.url, tool: 'echo' },
    { name: 'direct', era: 'legacy', url: echo.url, tool: 'echo' },
    // The relay floor is the same for both eras (it passes the session header through).
    { name: 'floor', era: 'modern', url: floor.url, tool: 'echo' },
    { name: 'gateway', era: 'modern', url: serverUrl, tool: reg.serverToolName, token: apiToken },
    { name: 'gateway', era: 'legacy', url: serverUrl, tool: reg.serverToolName, token: apiToken },
  ];

  // Pre-warm every path once (discarded): the first seconds of a fresh process run unoptimised code,
  // and the per-measurement warm-up alone did not hide that from the first contender measured.
  for (const c of contenders) {
    await runLoad({
      url: c.url,
      era: c.era,
      clients: 8,
      durationMs: PREWARM_MS,
      payloadBytes: 1000,
      tool: c.tool,
      token: c.token,
    });
  }

  let loadRows;
  if (PARTS.has('load')) {
    const samples = [];
    for (const payloadBytes of PAYLOADS) {
      for (const clients of CLIENTS) {
        for (let run = 0; run < RUNS; run++) {
          // Interleaved: every contender once per run, the order reversed every other run.
          for (const c of run % 2 === 0 ? contenders : [...contenders].reverse()) {
            const r = await runLoad(
              {
                url: c.url,
                era: c.era,
                clients,
                warmupMs: WARMUP_MS,
                durationMs: DURATION_MS,
                payloadBytes,
                tool: c.tool,
                token: c.token,
              },
              { watch },
            );
            samples.push({ ...c, payloadBytes, clients, run, ...r });
            console.log(
              `${String(payloadBytes).padStart(5)} B c=${String(clients).padStart(2)} run ${run + 1} ${`${c.name} ${c.era}`.padEnd(15)} ` +
                `${Math.round(r.rps).toString().padStart(6)} req/s p50 ${r.p50.toFixed(3)} p99 ${r.p99.toFixed(3)} ms ` +
                `cpu µs/call ${c.name === 'floor' ? 'proxy' : 'gw'} ${(c.name === 'floor' ? r.cpuUsPerCall.floor : r.cpuUsPerCall.gateway).toFixed(0)} up ${r.cpuUsPerCall.upstream.toFixed(0)}` +
                `${r.errors ? ` ERRORS ${r.errors} (${r.firstError})` : ''}`,
            );
          }
        }
      }
    }
    const rows = [];
    for (const payloadBytes of PAYLOADS)
      for (const clients of CLIENTS)
        for (const c of contenders) {
          const runs = samples.filter(
            (s) =>
              s.name === c.name &&
              s.era === c.era &&
              s.payloadBytes === payloadBytes &&
              s.clients === clients,
          );
          rows.push({
            name: c.name,
            era: c.era,
            payloadBytes,
            clients,
            rps: median(runs.map((r) => r.rps)),
            p50: median(runs.map((r) => r.p50)),
            p99: median(runs.map((r) => r.p99)),
            rpsRange: [Math.min(...runs.map((r) => r.rps)), Math.max(...runs.map((r) => r.rps))],
            gatewayCpu:
              c.name === 'gateway'
                ? median(runs.map((r) => r.cpuUsPerCall.gateway))
                : c.name === 'floor'
                  ? median(runs.map((r) => r.cpuUsPerCall.floor))
                  : Number.NaN,
            upstreamCpu: median(runs.map((r) => r.cpuUsPerCall.upstream)),
            errors: runs.reduce((s, r) => s + r.errors, 0),
          });
        }
    loadRows = rows;
  }

  let profile;
  if (PROFILE) {
    // Kept after the run (the gateway's temp folder is not) for a closer look in DevTools.
    const dir = join(tmpdir(), 'cf-bench-gateway-profiles');
    mkdirSync(dir, { recursive: true });
    const profileClients = Number(process.env.PROFILE_CLIENTS ?? 32);
    const profilePayload = Number(process.env.PROFILE_PAYLOAD ?? 100);
    const file = join(
      dir,
      `gateway-${profileClients}-clients-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
    );
    const c = contenders.find((x) => x.name === 'gateway' && x.era === (process.env.PROFILE_ERA ?? 'modern'));
    let started;
    const r = await runLoad(
      {
        url: c.url,
        era: c.era,
        clients: profileClients,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        payloadBytes: profilePayload,
        tool: c.tool,
        token: c.token,
      },
      {
        watch,
        onPhase: (phase) => {
          if (phase === 'measure') started = gateway.ask('profile-start', { intervalUs: 100 });
        },
      },
    );
    await started;
    await gateway.ask('profile-stop', { file });
    profile = {
      era: c.era,
      clients: profileClients,
      payloadBytes: profilePayload,
      rps: r.rps,
      cpu: r.cpuUsPerCall.gateway,
      ...summariseProfile(file, 30),
    };
    console.log(
      `\nprofile of the gateway, ${c.era}, ${profileClients} clients, ${profilePayload} B (${Math.round(r.rps)} req/s under the profiler, gateway CPU ${r.cpuUsPerCall.gateway.toFixed(0)} µs/call; ` +
        `${profile.idlePct.toFixed(1)} % idle; ${file}):`,
    );
    for (const f of profile.functions)
      console.log(`  ${f.selfPct.toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
    console.log('inclusive time of our functions:');
    for (const f of profile.ours)
      console.log(`  ${f.totalPct.toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
    console.log('by area:');
    for (const a of profile.areas) console.log(`  ${a.selfPct.toFixed(1).padStart(5)} %  ${a.area}`);
  }

  let memory;
  if (PARTS.has('memory')) {
    const before = await gateway.ask('memory');
    await openIdleSessions(serverUrl, apiToken, IDLE_SESSIONS);
    const after = await gateway.ask('memory');
    memory = {
      sessions: IDLE_SESSIONS,
      heapPerSession: (after.heapUsed + after.external - before.heapUsed - before.external) / IDLE_SESSIONS,
      rssPerSession: (after.rss - before.rss) / IDLE_SESSIONS,
    };
    console.log(
      `\nidle 2025-11-25 sessions through the gateway: ${IDLE_SESSIONS}; retained heap+external per session ${(memory.heapPerSession / 1024).toFixed(2)} KB; RSS per session ${(memory.rssPerSession / 1024).toFixed(2)} KB`,
    );
  }

  const loadAtEnd = loadavg()[0];
  if (loadRows) {
    const checks = verdicts(loadRows, memory);
    console.log('\ntargets (issue 5):');
    for (const v of checks) console.log(`  ${v.met ? 'MET   ' : 'MISSED'} ${v.text}`);
    if (WRITE)
      writeBlock(
        'gateway',
        renderLoad({
          rows: loadRows,
          checks,
          memory,
          profile,
          runs: RUNS,
          durationMs: DURATION_MS,
          warmupMs: WARMUP_MS,
          machine: machine(),
          loads: [loadAtStart, loadAtEnd],
        }),
      );
  }

  if (PARTS.has('hub')) {
    const hub = await runHub({
      echo,
      gateway,
      jwt,
      apiToken,
      toolName: reg.toolName,
      // The gateway's aggregated endpoint over the 2024-11-05 HTTP+SSE transport (like mcp-hub's).
      sseUrl: `${gateway.url}/sse`,
      clients: CLIENTS,
      runs: RUNS,
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    });
    if (hub) {
      console.log(`\naggregated endpoint vs mcp-hub (target ≥ 3×):`);
      for (const v of hubVerdicts(hub.rows, hub.peerVersion))
        console.log(`  ${v.met ? 'MET   ' : 'MISSED'} ${v.text}`);
    }
    if (hub && WRITE)
      writeBlock(
        'gateway-hub',
        renderHub({ ...hub, runs: RUNS, durationMs: DURATION_MS, warmupMs: WARMUP_MS, machine: machine() }),
      );
  }

  if (PARTS.has('soak')) {
    const soak = await runSoak(contenders.find((c) => c.name === 'gateway' && c.era === SOAK_ERA));
    if (WRITE) writeBlock(`gateway-soak-${SOAK_MS / 1000}s`, renderSoak({ ...soak, machine: machine() }));
  }
} finally {
  for (const stop of stops) await stop();
}

/** Opens `count` 2025-era sessions (initialize + initialized) and leaves them idle. */
async function openIdleSessions(url, token, count) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
  };
  const open = async (i) => {
    const init = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: `idle-${i}`, version: '1' },
        },
      }),
    });
    await init.text();
    const sid = init.headers.get('mcp-session-id');
    if (init.status !== 200 || !sid) throw new Error(`idle session ${i}: initialize answered ${init.status}`);
    const ack = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
      body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    });
    await ack.text();
  };
  for (let i = 0; i < count; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, k) => open(i + k)));
  }
}

/** Paced load through the gateway for SOAK_MS; RSS of the gateway sampled every 10 s. */
async function runSoak(c) {
  console.log(
    `\nsoak: ${SOAK_RATE} req/s for ${SOAK_MS / 1000} s through the gateway (${c.era}), 100 B, 32 clients`,
  );
  // Retained heap after a full GC before and after the load: a leak shows here even when RSS
  // (allocator slack, young generation) hides it.
  const heapBefore = await gateway.ask('memory');
  const rss = [{ t: 0, rss: rssOf(gateway.pid) }];
  const t0 = Date.now();
  const timer = setInterval(() => {
    rss.push({ t: Date.now() - t0, rss: rssOf(gateway.pid) });
    const last = rss.at(-1);
    console.log(`  t=${(last.t / 1000).toFixed(0)} s RSS ${(last.rss / 1048576).toFixed(1)} MB`);
  }, 10_000);
  let r;
  try {
    r = await runLoad(
      {
        url: c.url,
        era: c.era,
        clients: 32,
        warmupMs: 0,
        durationMs: SOAK_MS,
        payloadBytes: 100,
        tool: c.tool,
        token: c.token,
        rate: SOAK_RATE,
      },
      { watch: { gateway: gateway.pid } },
    );
  } finally {
    clearInterval(timer);
  }
  if (Date.now() - t0 - rss.at(-1).t > 2000) rss.push({ t: Date.now() - t0, rss: rssOf(gateway.pid) });
  const heapAfter = await gateway.ask('memory');
  // The sample before the load started is reported apart: "first" is the first one under load.
  const values = rss.slice(1).map((s) => s.rss);
  const soak = {
    era: c.era,
    rate: SOAK_RATE,
    durationMs: SOAK_MS,
    achieved: r.rps,
    calls: r.calls,
    errors: r.errors,
    firstError: r.firstError,
    p50: r.p50,
    p99: r.p99,
    gatewayCpu: r.cpuUsPerCall.gateway,
    rssBefore: rss[0].rss,
    heapBefore: heapBefore.heapUsed + heapBefore.external,
    heapAfter: heapAfter.heapUsed + heapAfter.external,
    rssFirst: values[0],
    rssLast: values.at(-1),
    rssMax: Math.max(...values),
    samples: rss,
    loads: [loadAtStart, loadavg()[0]],
  };
  console.log(
    `soak: ${Math.round(r.rps)} req/s achieved, ${r.calls} calls, ${r.errors} errors, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms; ` +
      `RSS first ${(soak.rssFirst / 1048576).toFixed(1)} MB, last ${(soak.rssLast / 1048576).toFixed(1)} MB, max ${(soak.rssMax / 1048576).toFixed(1)} MB; ` +
      `heap + external after GC ${(soak.heapBefore / 1048576).toFixed(1)} → ${(soak.heapAfter / 1048576).toFixed(1)} MB`,
  );
  return soak;
}
