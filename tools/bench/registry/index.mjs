#!/usr/bin/env node
// Registry benchmark: list and get on 10,000 tools, SQLite vs PostgreSQL, cached vs uncached
// `GET /v1/tools/{id}`, measured in-process (app.request: the gateway's own time, no network) and over a
// real loopback HTTP server with a keep-alive load loop. Writes its section of BENCHMARKS.md.
//
//   pnpm build && pnpm bench registry            (PostgreSQL from POSTGRES_URL, default the local server)
//   node tools/bench/registry/index.mjs --quick  (fewer iterations, no BENCHMARKS.md update)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = new URL('../../../', import.meta.url);
const core = await import(new URL('packages/gateway-core/dist/index.js', root).href).catch(() => {
  console.error('bench registry: build first (pnpm build): packages/gateway-core/dist is missing');
  process.exit(1);
});
const quick = process.argv.includes('--quick');
const TOOLS = 10_000;
const RUNS = quick ? 1 : 3;
const ITER = quick ? 300 : 2000;
const HTTP_MS = quick ? 1000 : 3000;
const PG_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** Runs `fn` `iterations` times after a warm-up; returns median and p99 latency (ms) and ops/s. */
async function measure(fn, iterations = ITER) {
  for (let i = 0; i < Math.min(200, iterations); i += 1) await fn(i);
  const samples = new Float64Array(iterations);
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t = performance.now();
    await fn(i);
    samples[i] = performance.now() - t;
  }
  const total = performance.now() - start;
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return { median: pct(sorted, 50), p99: pct(sorted, 99), ops: (iterations / total) * 1000 };
}

/** Median over RUNS repetitions of each statistic. */
async function repeated(fn, iterations) {
  const runs = [];
  for (let r = 0; r < RUNS; r += 1) runs.push(await measure(fn, iterations));
  return {
    median: median(runs.map((x) => x.median)),
    p99: median(runs.map((x) => x.p99)),
    ops: median(runs.map((x) => x.ops)),
  };
}

/** A keep-alive load loop against a real server: `concurrency` clients for `ms`. */
async function httpLoad(url, paths, concurrency, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  const end = performance.now() + ms;
  const once = (path) =>
    new Promise((resolve) => {
      const t = performance.now();
      const req = http.get(`${url}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors += 1;
          latencies.push(performance.now() - t);
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i += concurrency) await once(paths[i % paths.length]);
    }),
  );
  const elapsed = performance.now() - start;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { ops: (latencies.length / elapsed) * 1000, median: pct(sorted, 50), p99: pct(sorted, 99), errors };
}

async function seed(gw) {
  const db = gw.database.db;
  const now = new Date().toISOString();
  const rows = [];
  for (let i = 0; i < TOOLS; i += 1) {
    const name = `tool_${String(i).padStart(5, '0')}`;
    rows.push({
      id: `b${String(i).padStart(31, '0')}`,
      slug: name,
      description: `Benchmark tool ${i}`,
      tags: JSON.stringify(i % 10 === 0 ? ['tenth', 'bench'] : ['bench']),
      team_id: null,
      owner_email: null,
      visibility: 'public',
      enabled: 1,
      created_at: now,
      updated_at: now,
      created_by: null,
      created_via: 'bench',
      modified_by: null,
      modified_via: 'bench',
      import_batch_id: null,
      version: 1,
      name,
      original_name: name,
      custom_name: name,
      title: null,
      integration_type: 'REST',
      request_type: 'POST',
      url: 'https://example.com/tool',
      headers: '{}',
      input_schema: JSON.stringify({
        type: 'object',
        properties: { q: { type: 'string' }, n: { type: 'integer' } },
        required: ['q'],
      }),
      output_schema: null,
      annotations: '{"readOnlyHint":true}',
      jsonpath_filter: null,
      auth_type: null,
      auth_value: null,
      gateway_id: null,
    });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('tools')
        .values(rows.slice(i, i + 500))
        .execute();
  });
  return rows.map((r) => r.id);
}

async function backend(kind, url) {
  const env = {
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    AUTH_ENCRYPTION_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ENABLE_METRICS: 'false',
    PORT: '0',
  };
  const logger = core.createLogger('silent');
  const cached = await core.createGateway(core.parseConfig({ ...env, CACHE_TYPE: 'memory' }).config, {
    logger,
  });
  const uncached = await core.createGateway(core.parseConfig({ ...env, CACHE_TYPE: 'none' }).config, {
    logger,
  });
  try {
    const seedStart = performance.now();
    const ids = await seed(cached);
    const seedMs = performance.now() - seedStart;
    const get = (gw) => async (i) => {
      const res = await gw.app.request(`/v1/tools/${ids[(i * 7919) % ids.length]}`);
      if (res.status !== 200) throw new Error(`GET ${res.status}`);
      await res.arrayBuffer();
    };
    const req = (gw, path) => async () => {
      const res = await gw.app.request(path);
      if (res.status !== 200) throw new Error(`${path} ${res.status}`);
      await res.arrayBuffer();
    };
    for (let i = 0; i < ids.length; i += 1) await get(cached)(i); // warm the cache with every tool
    let middle = null;
    for (let page = 0; page < TOOLS / 2 / 500; page += 1) {
      const res = await cached.app.request(
        `/v1/tools?limit=500&include_pagination=true${middle ? `&cursor=${middle}` : ''}`,
      );
      middle = (await res.json()).next_cursor;
    }
    const out = { kind, seedMs };
    out.getCached = await repeated(get(cached));
    out.getUncached = await repeated(get(uncached));
    out.listFirst = await repeated(req(uncached, '/v1/tools?limit=50'), Math.ceil(ITER / 2));
    out.listMiddle = await repeated(
      req(uncached, `/v1/tools?limit=50&cursor=${middle}`),
      Math.ceil(ITER / 2),
    );
    out.listTag = await repeated(req(uncached, '/v1/tools?limit=50&tags=tenth'), Math.ceil(ITER / 4));
    out.walk = await repeated(
      async () => {
        let cursor = null;
        let count = 0;
        do {
          const res = await uncached.app.request(
            `/v1/tools?limit=500&include_pagination=true${cursor ? `&cursor=${cursor}` : ''}`,
          );
          const body = await res.json();
          count += body.tools.length;
          cursor = body.next_cursor;
        } while (cursor);
        if (count !== TOOLS) throw new Error(`walk saw ${count} tools`);
      },
      quick ? 3 : 10,
    );
    const paths = ids.slice(0, 1000).map((id) => `/v1/tools/${id}`);
    for (const [label, gw] of [
      ['httpCached', cached],
      ['httpUncached', uncached],
    ]) {
      const running = await gw.listen(0, '127.0.0.1');
      await httpLoad(running.url, paths, 8, 300);
      const runs = [];
      for (let r = 0; r < RUNS; r += 1) runs.push(await httpLoad(running.url, paths, 16, HTTP_MS));
      out[label] = {
        ops: median(runs.map((x) => x.ops)),
        median: median(runs.map((x) => x.median)),
        p99: median(runs.map((x) => x.p99)),
        errors: runs.reduce((a, x) => a + x.errors, 0),
      };
      await running.close(1000);
    }
    return out;
  } finally {
    await uncached.close();
    await cached.close();
  }
}

async function scratchPostgres() {
  const name = `cf_bench_${Date.now().toString(36)}`;
  const admin = await core.connectDatabase({ url: PG_URL, poolSize: 1, maxRetries: 0, retryIntervalMs: 0 });
  // kysely is gateway-core's dependency, not this suite's: resolve it from there.
  const { sql } = createRequire(new URL('packages/gateway-core/package.json', root))('kysely');
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = await core.connectDatabase({
        url: PG_URL,
        poolSize: 1,
        maxRetries: 0,
        retryIntervalMs: 0,
      });
      await sql.raw(`drop database if exists ${name} with (force)`).execute(again.db);
      await again.close();
    },
  };
}

const results = [];
const dir = mkdtempSync(join(tmpdir(), 'cf-bench-registry-'));
try {
  console.log(`registry bench: ${TOOLS} tools, ${RUNS} run(s) of ${ITER} iterations per measurement`);
  results.push(await backend('SQLite (file, WAL)', `sqlite:///${join(dir, 'bench.db')}`));
  let pg;
  try {
    pg = await scratchPostgres();
  } catch (error) {
    console.warn(
      `registry bench: PostgreSQL at ${core.redactUrl(PG_URL)} unavailable, skipping it (${error.message})`,
    );
  }
  if (pg) {
    try {
      results.push(await backend('PostgreSQL', pg.url));
    } finally {
      await pg.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const f = (x, d = 3) => x.toFixed(d);
const k = (x) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));
const lines = [];
lines.push('| Backend | Operation | median ms | p99 ms | ops/s |', '|---|---|---|---|---|');
for (const r of results) {
  const row = (label, m) =>
    lines.push(`| ${r.kind} | ${label} | ${f(m.median)} | ${f(m.p99)} | ${k(m.ops)} |`);
  row('`GET /v1/tools/{id}`, cached (in-process LRU)', r.getCached);
  row('`GET /v1/tools/{id}`, uncached (`CACHE_TYPE=none`)', r.getUncached);
  row('`GET /v1/tools?limit=50` (first page)', r.listFirst);
  row('`GET /v1/tools?limit=50&cursor=…` (page at 5,000)', r.listMiddle);
  row('`GET /v1/tools?limit=50&tags=tenth` (tag filter)', r.listTag);
  row('walk all 10,000 with `limit=500` (20 pages)', r.walk);
}
const http1 = [
  '',
  '| Backend | Over loopback HTTP, 16 keep-alive clients | median ms | p99 ms | req/s |',
  '|---|---|---|---|---|',
];
for (const r of results) {
  http1.push(
    `| ${r.kind} | cached \`GET /v1/tools/{id}\` | ${f(r.httpCached.median)} | ${f(r.httpCached.p99)} | ${k(r.httpCached.ops)} |`,
  );
  http1.push(
    `| ${r.kind} | uncached \`GET /v1/tools/{id}\` | ${f(r.httpUncached.median)} | ${f(r.httpUncached.p99)} | ${k(r.httpUncached.ops)} |`,
  );
}
const ratios = results.map(
  (r) =>
    `${r.kind}: cached get is ${(r.getUncached.median / r.getCached.median).toFixed(1)}× faster than uncached (median), ${(r.httpCached.ops / r.httpUncached.ops).toFixed(1)}× the HTTP throughput`,
);
const table = [...lines, ...http1].join('\n');
console.log(`\n${table}\n\n${ratios.join('\n')}`);
if (results.some((r) => r.httpCached.errors + r.httpUncached.errors > 0))
  console.warn('registry bench: some HTTP requests failed');

if (!quick) {
  const file = new URL('BENCHMARKS.md', root);
  const text = readFileSync(file, 'utf8');
  const heading = '## Registry (gateway-core): list and get on 10,000 tools';
  const start = text.indexOf(heading);
  const next = text.indexOf('\n## ', start + heading.length);
  const section = `${heading}

Command: \`pnpm build && pnpm bench registry\` (\`tools/bench/registry/index.mjs\`). Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)} at the end: the machine is shared, so absolute numbers are noisy; compare rows of one run), Node ${process.version}; 10,000 REST tools seeded directly, ${RUNS} runs per row, medians of the runs' median/p99/ops.
In-process rows time \`app.request()\` (the gateway's own work: routing, validation, query or cache, JSON), one request at a time; the HTTP rows add Node's HTTP server and a loopback client on the same 2 cores.

${table}

${ratios.map((r) => `- ${r}`).join('\n')}
`;
  writeFileSync(file, `${text.slice(0, start)}${section}${next === -1 ? '' : text.slice(next)}`);
  console.log('\nregistry bench: BENCHMARKS.md updated');
}
await sleep(10);
