// The floor for any Node.js gateway on this machine: `node floor-proxy.mjs <upstream url>` relays
// each POST body and the MCP headers to the upstream over an undici Pool and the answer back, with
// no MCP semantics, authentication, registry or validation. Prints its URL, then serves until
// SIGTERM. The gateway's distance to this row is the cost of what it does; this row's distance to
// "direct" is the cost of one more HTTP hop in Node (server in + client out + client in + server out).
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = new URL(process.argv[2]);
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const FORWARD = [
  'content-type',
  'accept',
  'mcp-protocol-version',
  'mcp-session-id',
  'mcp-method',
  'mcp-name',
];
const BACK = ['content-type', 'mcp-session-id'];

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const headers = {};
    for (const h of FORWARD) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
    const out = [];
    let status = 502;
    let back = {};
    pool.dispatch(
      { path: upstream.pathname, method: 'POST', headers, body: Buffer.concat(chunks) },
      {
        onRequestStart() {},
        onResponseStart(_c, s, h) {
          status = s;
          back = {};
          for (const k of BACK) if (h[k] !== undefined) back[k] = h[k];
        },
        onResponseData(_c, chunk) {
          out.push(chunk);
        },
        onResponseEnd() {
          const body = Buffer.concat(out);
          res.writeHead(status, { ...back, 'content-length': body.length });
          res.end(body);
        },
        onResponseError(_c, err) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}${upstream.pathname}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  pool.destroy().then(() => process.exit(0));
});
