import { describe, expect, it } from 'vitest';
import { createGlobalContext, PluginManager, parsePluginsYaml, silentLogger } from '../src/index.js';
import { cliPath, serverYaml, writeTemp } from './support/external.js';

describe('external plugin over stdio (child process)', () => {
  it('starts the plugin server as a child, blocks a call, and stops the child on shutdown', async () => {
    const serverConfig = writeTemp('server.yaml', serverYaml());
    const manager = new PluginManager({
      config: parsePluginsYaml(`plugins:
  - name: guard
    kind: external
    mcp:
      proto: STDIO
      cmd: [${JSON.stringify(process.execPath)}, ${JSON.stringify(cliPath)}, serve, --transport, stdio, --log-level, error, --config, ${JSON.stringify(serverConfig)}]
`),
      logger: silentLogger,
    });
    await manager.initialize();
    const out = await manager.invokeHook(
      'tool_pre_invoke',
      { name: 'rm_rf', args: {} },
      createGlobalContext(),
    );
    expect(out.violation).toMatchObject({ code: 'TOOL_BLOCKED', pluginName: 'guard' });
    const before = childPids();
    expect(before.length).toBeGreaterThan(0);
    await manager.shutdown();
    await new Promise((r) => setTimeout(r, 200));
    expect(childPids().filter((pid) => before.includes(pid))).toEqual([]);
  });
});

/** PIDs of this process's children running the CLI (Linux /proc). */
function childPids(): number[] {
  const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('cli.js')) pids.push(Number(entry));
    } catch {
      // The process may have exited between readdir and read.
    }
  }
  return pids;
}
