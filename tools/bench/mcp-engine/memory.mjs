// Memory per idle legacy session: `node --expose-gc memory.mjs <sessions>`. Prints {"bytesPerSession":…}.
import { Agent, createServer, request } from 'node:http';

const n = Number(process.argv[2] ?? 2000);
const { createMcpEngine } = await import('../../../packages/gateway-core/dist/index.js');
const backend = {
  serverInfo: async () => ({ name: 'bench', version: '1.0.0', capabilities: { tools: {} } }),
  listTools: async () => ({ tools: [] }),
  callTool: async () => ({ content: [] }),
  listResources: async () => ({ resources: [] }),
  listResourceTemplates: async () => ({ resourceTemplates: [] }),
  readResource: async () => ({ contents: [] }),
  listPrompts: async () => ({ prompts: [] }),
  getPrompt: async () => ({ messages: [] }),
};
const engine = await createMcpEngine({ backend, maxCachedSessions: n * 2 });
const server = createServer((req, res) => engine.handle(req, res));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const post = (headers, body) =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['mcp-session-id']));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const init = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: { sampling: {}, elicitation: {} },
    clientInfo: { name: 'memory-probe-client', version: '1.0.0' },
  },
});
async function settle() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}
// Warm up code paths so JIT/code memory is not counted as session memory.
for (let i = 0; i < 200; i++) {
  const sid = await post({}, init);
  await post({ 'mcp-session-id': sid }, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
}
const before = await settle();
for (let i = 0; i < n; i++) {
  const sid = await post({}, init);
  await post({ 'mcp-session-id': sid }, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
}
const after = await settle();
console.log(
  JSON.stringify({
    sessions: n,
    bytesPerSession: (after - before) / n,
    cached: engine.stats().sessionsCached,
  }),
);
agent.destroy();
await engine.close();
server.close();
