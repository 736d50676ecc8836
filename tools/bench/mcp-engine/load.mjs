// Closed-loop load generator: `node load.mjs <url> <mode> <clients> <ms> <payloadBytes>`.
// mode: plain | modern (2026-07-28 stateless) | legacy (one 2025-11-25 session per client).
// Prints {"rps":…, "p50":ms, "p99":ms, "errors":N}.
import { Agent, request } from 'node:http';

const [url, mode, clientsArg, msArg, payloadArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const durationMs = Number(msArg);
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const payload = 'x'.repeat(Math.max(0, Number(payloadArg) - 40));

function post(headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
async function headersFor() {
  if (mode === 'modern')
    return { ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
  if (mode === 'legacy') {
    const init = await post(
      base,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'load', version: '1' },
        },
      }),
    );
    const sid = init.headers['mcp-session-id'];
    const h = { ...base, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    await post(h, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
    return h;
  }
  return base;
}
const meta =
  mode === 'modern'
    ? {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      }
    : {};

const latencies = [];
let errors = 0;
let done = 0;
async function client() {
  const headers = await headersFor();
  let id = 0;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: ++id,
      method: 'tools/call',
      params: { name: 'echo', arguments: { payload }, ...meta },
    });
    const t0 = process.hrtime.bigint();
    try {
      const r = await post(headers, body);
      if (r.status !== 200 || !r.body.includes('"result"')) errors++;
    } catch {
      errors++;
    }
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    done++;
  }
}
const start = Date.now();
await Promise.all(Array.from({ length: clients }, client));
const elapsed = (Date.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
console.log(JSON.stringify({ rps: done / elapsed, p50: pct(0.5), p99: pct(0.99), errors }));
agent.destroy();
