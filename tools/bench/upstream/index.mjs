#!/usr/bin/env node
// Upstream client benchmark: tools/call from the gateway's upstream client to a minimal echo
// upstream (servers/echo-http, its own process), side by side with a raw undici request carrying
// the same bytes (the floor), and the official SDK clients (v2 2.4.0 and v1 1.32.2).
// Measures, per contender × concurrency × payload: throughput, p50/p99 latency, and CPU µs per call
// of this (client) process. Medians of several interleaved runs. Writes BENCHMARKS.md.
//
//   pnpm bench upstream                 (after `pnpm build`)
//   BENCH_SECONDS=2 BENCH_RUNS=3 BENCH_CONCURRENCY=1,8,32 BENCH_PAYLOADS=100,10240 pnpm bench upstream
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..', '..');
const corePkg = join(root, 'packages', 'gateway-core', 'package.json');
const requireFromCore = createRequire(corePkg);
const load = (spec) => import(pathToFileURL(requireFromCore.resolve(spec)).href);

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);
const PAYLOADS = (process.env.BENCH_PAYLOADS ?? '100,10240').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY?.split(',');

const { createUpstreamPool } = await import(
  pathToFileURL(join(root, 'packages', 'gateway-core', 'dist', 'index.js')).href
);
const { Pool } = await load('undici');

/** Starts servers/echo-http in its own process; resolves with its URL and a stop function. */
async function startEcho(args = []) {
  const cli = join(root, 'servers', 'echo-http', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim().split('\n')[0]));
    child.once('exit', (code) => reject(new Error(`echo-http exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'contextforge-gateway', version: '0.1.0' },
  'io.modelcontextprotocol/clientCapabilities': {
    sampling: {},
    elicitation: { form: {}, url: {} },
    roots: { listChanged: true },
  },
};

/** Contenders: each `make(url)` resolves with `{ call(text): Promise, close() }`. */
const contenders = {
  // The floor: one undici dispatch with the exact body and headers our client sends (modern era).
  'raw-undici': async (url) => {
    const u = new URL(url);
    const pool = new Pool(u.origin, { connections: 256, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
    let id = 0;
    const call = (text) =>
      new Promise((resolve, reject) => {
        const chunks = [];
        pool.dispatch(
          {
            path: u.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              'mcp-protocol-version': '2026-07-28',
              'mcp-method': 'tools/call',
              'mcp-name': 'echo',
            },
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: ++id,
              method: 'tools/call',
              params: { name: 'echo', arguments: { text }, _meta: ENVELOPE },
            }),
          },
          {
            onRequestStart() {},
            onResponseStart() {},
            onResponseData(_c, chunk) {
              chunks.push(chunk);
            },
            onResponseEnd() {
              const m = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (m.error) reject(new Error(m.error.message));
              else resolve(m.result);
            },
            onResponseError(_c, err) {
              reject(err);
            },
          },
        );
      });
    return { call, close: () => pool.destroy() };
  },
  'contextforge (2026-07-28)': async (url) => {
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    const client = await pool.get({ id: 'bench', name: 'bench', transport: 'streamable-http', url });
    if (client.era !== 'modern') throw new Error(`expected modern era, got ${client.era}`);
    return { call: (text) => client.callTool('echo', { text }), close: () => pool.close() };
  },
  'contextforge (2025-11-25 session)': async (url) => {
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    const spec = {
      id: 'bench',
      name: 'bench',
      transport: 'streamable-http',
      url,
      protocolVersion: '2025-11-25',
    };
    const client = await pool.get(spec);
    if (client.era !== 'legacy') throw new Error(`expected legacy era, got ${client.era}`);
    return { call: (text) => client.callTool('echo', { text }), close: () => pool.close() };
  },
  'SDK v2 client (2026-07-28)': async (url) => {
    const { Client, StreamableHTTPClientTransport } = await load('@modelcontextprotocol/client');
    const client = new Client({ name: 'bench', version: '0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return {
      call: (text) => client.callTool({ name: 'echo', arguments: { text } }),
      close: () => client.close(),
    };
  },
  'SDK v1 client (2025-11-25 session)': async (url) => {
    const { Client } = await load('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await load(
      '@modelcontextprotocol/sdk/client/streamableHttp.js',
    );
    const client = new Client({ name: 'bench', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return {
      call: (text) => client.callTool({ name: 'echo', arguments: { text } }),
      close: () => client.close(),
    };
  },
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const signed = (x, digits) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;

/** One measurement: `concurrency` loops calling for SECONDS after a short warm-up. */
async function measure(target, concurrency, text) {
  const warmUntil = performance.now() + 500;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < warmUntil) await target.call(text);
    }),
  );
  const latencies = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        try {
          const r = await target.call(text);
          if (r.content?.[0]?.text?.length !== text.length) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuUs: (cpu.user + cpu.system) / latencies.length,
    errors,
  };
}

const names = Object.keys(contenders).filter((n) => !ONLY || ONLY.some((o) => n.includes(o)));
const loadBefore = loadavg()[0];
const echo = await startEcho();
const results = new Map(); // key `${name}|${conc}|${payload}` → runs[]
try {
  const targets = {};
  for (const name of names) targets[name] = await contenders[name](echo.url);
  for (const payload of PAYLOADS) {
    const text = 'x'.repeat(payload);
    for (const conc of CONCURRENCY) {
      for (let run = 0; run < RUNS; run++) {
        // Interleave contenders within each run so machine noise spreads evenly.
        for (const name of run % 2 === 0 ? names : [...names].reverse()) {
          const r = await measure(targets[name], conc, text);
          const key = `${name}|${conc}|${payload}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          console.log(
            `${name.padEnd(36)} c=${String(conc).padStart(2)} ${String(payload).padStart(5)}B run ${run + 1}: ${Math.round(r.rps)} req/s p50 ${r.p50.toFixed(3)} ms p99 ${r.p99.toFixed(3)} ms cpu ${r.cpuUs.toFixed(1)} µs/call${r.errors ? ` errors ${r.errors}` : ''}`,
          );
        }
      }
    }
  }
  for (const name of names) await targets[name].close();
} finally {
  await echo.stop();
}

const loadAfter = loadavg()[0];

// Report: medians per cell, ratios against the raw floor.
const rows = [];
for (const payload of PAYLOADS) {
  for (const conc of CONCURRENCY) {
    const floor = results.get(`raw-undici|${conc}|${payload}`);
    const floorCpu = floor ? median(floor.map((r) => r.cpuUs)) : undefined;
    const floorP50 = floor ? median(floor.map((r) => r.p50)) : undefined;
    for (const name of names) {
      const runs = results.get(`${name}|${conc}|${payload}`);
      const rps = median(runs.map((r) => r.rps));
      const p50 = median(runs.map((r) => r.p50));
      const p99 = median(runs.map((r) => r.p99));
      const cpu = median(runs.map((r) => r.cpuUs));
      const errors = runs.reduce((a, r) => a + r.errors, 0);
      rows.push(
        `| ${payload === 100 ? '100 B' : `${payload / 1024} KB`} | ${conc} | ${name} | ${Math.round(rps).toLocaleString('en-US')} | ${p50.toFixed(3)} | ${p99.toFixed(3)} | ${cpu.toFixed(1)} | ${floorCpu && name !== 'raw-undici' ? signed(cpu - floorCpu, 1) : '—'} | ${floorP50 && name !== 'raw-undici' ? signed(p50 - floorP50, 3) : '—'} | ${errors} |`,
      );
    }
  }
}
const table = [
  '| payload | clients | contender | req/s | p50 ms | p99 ms | client CPU µs/call | CPU vs raw | p50 vs raw | errors |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
].join('\n');
console.log(`\n${table}`);

const md = join(root, 'BENCHMARKS.md');
const start = '<!-- bench:upstream:start -->';
const end = '<!-- bench:upstream:end -->';
const block = `${start}
### Upstream client numbers (gateway → upstream, \`tools/call\`)

These are **upstream-client numbers**: the gateway's upstream client alone calling
\`servers/echo-http\` (raw \`node:http\`, its own process) on the same machine — not the whole
gateway. "raw" is one undici dispatch carrying the same bytes (the floor); the SDK clients are the
official \`@modelcontextprotocol/client\` 2.4.0 and \`@modelcontextprotocol/sdk\` 1.32.2 over their
streamable HTTP transports. CPU is this client process's user+system time per call (the echo
server's CPU is not counted). Medians of ${RUNS} interleaved runs of ${SECONDS} s each, Node
${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadBefore.toFixed(1)} before and
${loadAfter.toFixed(1)} after the run (the machine is shared: throughput and p99 are noisy, CPU per
call and p50 much less so).

Command: \`pnpm build && pnpm bench upstream\`

${table}

Reading it: over the raw undici request with the same bytes, the client adds ~0.01 ms p50 at one
client, a few µs of CPU per call on a 2025-era session and about 10 µs on 2026-07-28 (the
per-request \`_meta\` envelope and mirrored headers) — well inside the gateway's budget (≤ 0.25 ms
added p50 end to end; ≥ 10,000 req/s at 32 clients means ≤ 200 µs of CPU per call for the whole
gateway on 2 cores). The SDK clients cost 0.6–1.4 ms of CPU per call (fetch, zod validation of
every message, per-request SSE machinery), which is why the hot path does not use them; they
remain the reference servers and clients in tests.

Where the client's time goes (CPU profile, 32 clients, 100 B): about a third in the socket write
syscalls, a quarter in undici (HTTP/1.1 framing, llhttp), a sixth in Node's stream internals,
and about a tenth in this client (envelope, cached headers, routing, timers). Two measured traps,
both fixed: (1) keeping in-flight requests in a \`Map\` keyed by ever-growing ids made V8 keep
every call's request, promise and response reachable until the table's next rehash, so they were
promoted at each scavenge (~940 KB per scavenge at 10 KB payloads against ~13 KB for raw undici;
GC had become the largest cost) — a dictionary object does not; (2) undici keeps the last handler
of a connection until its next request, so a finished exchange now drops every reference it holds.
${end}`;
let text = readFileSync(md, 'utf8');
if (text.includes(start)) text = text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block);
else {
  const heading = '## Gateway tools/call overhead and aggregation';
  const at = text.indexOf(heading);
  if (at === -1) text += `\n${heading}\n\n${block}\n`;
  else {
    const after = text.indexOf('\n## ', at + heading.length);
    const section = text.slice(at, after === -1 ? undefined : after).replace('_Not measured yet._\n', '');
    text = `${text.slice(0, at)}${section.trimEnd()}\n\n${block}\n${after === -1 ? '' : text.slice(after)}`;
  }
}
writeFileSync(md, text);
console.log('\nBENCHMARKS.md updated');
