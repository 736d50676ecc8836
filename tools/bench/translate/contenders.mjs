// The bridges under test, each fronting the same stdio echo server (servers/echo-stdio).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const translateCli = join(root, 'packages', 'translate', 'dist', 'cli.js');
const echo = join(root, 'servers', 'echo-stdio', 'server.mjs');
const node = process.execPath;

/** Peer versions, pinned so runs compare like with like. */
export const PEERS = { supergateway: '4.0.0', 'mcp-proxy': '6.7.19' };

/** Installs the peers with npm into a cache folder outside the workspace (once per version set). */
export function installPeers() {
  const dir = join(tmpdir(), `contextforge-bench-peers-${Object.values(PEERS).join('-')}`);
  const bins = {
    supergateway: join(dir, 'node_modules', 'supergateway', 'dist', 'index.js'),
    mcpProxy: join(dir, 'node_modules', 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs'),
  };
  if (existsSync(bins.supergateway) && existsSync(bins.mcpProxy)) return bins;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-peers', private: true }));
  console.log(
    `installing ${Object.entries(PEERS)
      .map(([n, v]) => `${n}@${v}`)
      .join(' ')} into ${dir}`,
  );
  const result = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...Object.entries(PEERS).map(([n, v]) => `${n}@${v}`),
    ],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('npm install of the peers failed');
  return bins;
}

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port, proc, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`contender exited with ${proc.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`contender did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Every contender: name, transport kind (`streamable` or `sse`), and how to start it on a port.
 * Each start() resolves with { pid, url, stop }.
 */
export function contenders(peers) {
  const ours = (args) => [
    node,
    translateCli,
    ...args,
    '--max-sessions',
    '0',
    '--log-level',
    'warn',
    '--',
    node,
    echo,
  ];
  const list = [
    {
      name: 'mcp-translate (shared child)',
      kind: 'streamable',
      ours: true,
      argv: (p) => ours(['stdio-to-streamable-http', '--port', String(p), '--shared-child']),
      path: '/mcp',
    },
    {
      name: 'mcp-translate (child per session)',
      kind: 'streamable',
      ours: true,
      argv: (p) => ours(['stdio-to-streamable-http', '--port', String(p)]),
      path: '/mcp',
    },
    {
      name: 'supergateway --stateful',
      kind: 'streamable',
      argv: (p) => [
        node,
        peers.supergateway,
        '--stdio',
        `${node} ${echo}`,
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(p),
        '--logLevel',
        'none',
      ],
      path: '/mcp',
    },
    {
      name: 'mcp-proxy',
      kind: 'streamable',
      argv: (p) => [
        node,
        peers.mcpProxy,
        '--port',
        String(p),
        '--host',
        '127.0.0.1',
        '--server',
        'stream',
        '--',
        node,
        echo,
      ],
      path: '/mcp',
    },
    {
      name: 'mcp-translate (shared child)',
      kind: 'sse',
      ours: true,
      argv: (p) => ours(['stdio-to-sse', '--port', String(p), '--shared-child']),
      path: '/sse',
    },
    {
      name: 'supergateway',
      kind: 'sse',
      argv: (p) => [
        node,
        peers.supergateway,
        '--stdio',
        `${node} ${echo}`,
        '--outputTransport',
        'sse',
        '--port',
        String(p),
        '--logLevel',
        'none',
      ],
      path: '/sse',
    },
    {
      name: 'mcp-proxy',
      kind: 'sse',
      argv: (p) => [
        node,
        peers.mcpProxy,
        '--port',
        String(p),
        '--host',
        '127.0.0.1',
        '--server',
        'sse',
        '--',
        node,
        echo,
      ],
      path: '/sse',
    },
  ];
  return list.map((c) => ({
    ...c,
    async start() {
      const port = await freePort();
      const [cmd, ...args] = c.argv(port);
      const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], detached: true });
      await waitForPort(port, proc);
      return {
        pid: proc.pid,
        url: `http://127.0.0.1:${port}${c.path}`,
        async stop() {
          const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
          try {
            process.kill(-proc.pid, 'SIGTERM');
          } catch {}
          const timer = setTimeout(() => {
            try {
              process.kill(-proc.pid, 'SIGKILL');
            } catch {}
          }, 3000);
          await exited;
          clearTimeout(timer);
          // the group may outlive its leader briefly
          try {
            process.kill(-proc.pid, 'SIGKILL');
          } catch {}
        },
      };
    },
  }));
}
