// The aggregated-endpoint comparison: the gateway's `/mcp` (every server's tools behind one
// endpoint) against mcp-hub (npm `mcp-hub`, a devDependency of tools/bench), both fronting the same
// echo upstream. mcp-hub serves its unified endpoint only over the 2024-11-05 HTTP+SSE transport
// (GET /mcp stream + POST /messages), so the gateway is measured over that transport too (the
// like-for-like row) and over streamable HTTP.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../translate/contenders.mjs';
import { runLoad } from './processes.mjs';

const require = createRequire(import.meta.url);

/** Where mcp-hub is installed, and its version; undefined (with the reason) when it is not. */
export function findHub() {
  try {
    const pkg = require.resolve('mcp-hub/package.json');
    const { version, bin } = JSON.parse(readFileSync(pkg, 'utf8'));
    return { cli: join(dirname(pkg), bin['mcp-hub']), version };
  } catch (error) {
    return { missing: `mcp-hub is not installed in tools/bench (${error.message}); run pnpm install` };
  }
}

/** Starts mcp-hub fronting `upstreamUrl` (as server "echo"); resolves with { pid, url, stop }. */
export async function startHub(cli, upstreamUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'cf-bench-hub-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  const config = join(dir, 'mcp-servers.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { echo: { url: upstreamUrl } } }));
  const port = await freePort();
  const child = spawn(process.execPath, [cli, '--port', String(port), '--config', config], {
    cwd: dir,
    // Its own home: mcp-hub writes logs, a workspace cache and OAuth storage under XDG folders.
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: join(home, 'state'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mcp-hub exited with ${child.exitCode}`);
    try {
      const health = await (await fetch(`${base}/api/health`)).json();
      if (health.state === 'ready' && health.servers?.[0]?.status === 'connected') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('mcp-hub did not connect to the echo upstream within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid,
    url: `${base}/mcp`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
};

/**
 * Runs the comparison; resolves with { rows, peerVersion, note, loads } or undefined (reason printed)
 * when mcp-hub cannot run here.
 */
export async function runHub({
  echo,
  gateway,
  apiToken,
  toolName,
  clients,
  runs,
  durationMs,
  warmupMs,
  sseUrl,
}) {
  const { loadavg } = await import('node:os');
  const found = findHub();
  if (found.missing) {
    console.log(`\nhub: skipped: ${found.missing}`);
    return undefined;
  }
  let hub;
  try {
    hub = await startHub(found.cli, echo.url);
  } catch (error) {
    console.log(`\nhub: skipped: mcp-hub ${found.version} did not start: ${error.message}`);
    return undefined;
  }
  const loads = [loadavg()[0]];
  const contenders = [
    {
      name: 'gateway /mcp, streamable HTTP 2026-07-28',
      ours: true,
      era: 'modern',
      url: `${gateway.url}/mcp`,
      tool: toolName,
      token: apiToken,
      pid: gateway.pid,
    },
    {
      name: 'gateway /mcp, streamable HTTP 2025-11-25 session',
      ours: true,
      era: 'legacy',
      url: `${gateway.url}/mcp`,
      tool: toolName,
      token: apiToken,
      pid: gateway.pid,
    },
    ...(sseUrl
      ? [
          {
            name: 'gateway, HTTP+SSE (2024-11-05 transport)',
            ours: true,
            sameTransport: true,
            era: 'sse',
            url: sseUrl,
            tool: toolName,
            token: apiToken,
            pid: gateway.pid,
          },
        ]
      : []),
    { name: 'mcp-hub /mcp, HTTP+SSE', era: 'sse', url: hub.url, tool: 'echo__echo', pid: hub.pid },
  ];
  const samples = [];
  try {
    console.log(
      `\nhub: mcp-hub ${found.version} at ${hub.url}; gateway aggregated endpoint ${gateway.url}/mcp`,
    );
    for (const n of clients) {
      for (let run = 0; run < runs; run++) {
        for (const c of run % 2 === 0 ? contenders : [...contenders].reverse()) {
          let r;
          try {
            r = await runLoad(
              {
                url: c.url,
                era: c.era,
                clients: n,
                warmupMs,
                durationMs,
                payloadBytes: 100,
                tool: c.tool,
                token: c.token,
              },
              { watch: { server: c.pid } },
            );
          } catch (error) {
            r = { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, errors: 1, firstError: error.message };
            r.cpuUsPerCall = { server: Number.NaN };
          }
          samples.push({ ...c, clients: n, ...r });
          console.log(
            `  c=${String(n).padStart(2)} run ${run + 1} ${c.name.padEnd(48)} ${Math.round(r.rps).toString().padStart(6)} req/s ` +
              `p50 ${r.p50?.toFixed(3)} p99 ${r.p99?.toFixed(3)} ms cpu ${r.cpuUsPerCall.server.toFixed(0)} µs/call` +
              `${r.errors ? ` ERRORS ${r.errors} (${r.firstError})` : ''}`,
          );
        }
      }
    }
  } finally {
    await hub.stop();
  }
  loads.push(loadavg()[0]);
  const rows = [];
  for (const n of clients)
    for (const c of contenders) {
      const rs = samples.filter((s) => s.name === c.name && s.clients === n);
      rows.push({
        name: c.name,
        ours: Boolean(c.ours),
        sameTransport: Boolean(c.sameTransport),
        clients: n,
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        cpu: median(rs.map((r) => r.cpuUsPerCall.server)),
        errors: rs.reduce((s, r) => s + (r.errors ?? 0), 0),
      });
    }
  const note =
    `mcp-hub ${found.version} (npm, by ravitemer) runs as shipped (\`mcp-hub --port P --config mcp-servers.json\`, its output discarded) with the echo upstream as its one server; it has no client authentication, the gateway checks the bench's API token on every request. ` +
    "mcp-hub's unified endpoint speaks only the 2024-11-05 HTTP+SSE transport (answers arrive on the GET stream; latency is POST sent → answer event), its tools are named `<server>__<tool>`. 100 B payloads. CPU µs/call is the server process's (gateway or mcp-hub) user+system time per call.";
  return { rows, peerVersion: found.version, note, loads };
}
