// One benchmark server process: `node server.mjs plain|engine`. Prints {"port":N} once listening.
import { createServer } from 'node:http';

const kind = process.argv[2];
const ECHO = (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] });

let handler;
if (kind === 'plain') {
  // The floor: a hand-written node:http JSON-RPC responder doing the same echo, no MCP semantics.
  handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const body = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: ECHO(msg.params?.arguments ?? {}) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  };
} else {
  const { createMcpEngine } = await import('../../../packages/gateway-core/dist/index.js');
  const backend = {
    async serverInfo() {
      return { name: 'bench', version: '1.0.0', capabilities: { tools: {} } };
    },
    async listTools() {
      return { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] };
    },
    async callTool(_ctx, _name, args) {
      return ECHO(args);
    },
    async listResources() {
      return { resources: [] };
    },
    async listResourceTemplates() {
      return { resourceTemplates: [] };
    },
    async readResource() {
      return { contents: [] };
    },
    async listPrompts() {
      return { prompts: [] };
    },
    async getPrompt() {
      return { messages: [] };
    },
  };
  const engine = await createMcpEngine({ backend });
  handler = (req, res) => {
    if (!engine.handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  };
}
const server = createServer({ keepAliveTimeout: 60_000 }, handler);
server.listen(0, '127.0.0.1', () => {
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ port: server.address().port, cpuUs: cpu.user + cpu.system }));
});
let served = 0;
server.on('request', () => served++);
// CPU per request is measured between a snapshot taken after warm-up (SIGUSR2) and exit, so JIT
// compilation (charged to process CPU by background compiler threads) is not counted.
process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ served, cpuUs: cpu.user + cpu.system })}\n`);
});
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ served, cpuUs: cpu.user + cpu.system })}\n`, () =>
    process.exit(0),
  );
});
