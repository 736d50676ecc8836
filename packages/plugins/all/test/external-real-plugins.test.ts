/** The built-in PII filter hosted by an external plugin server (`mcpplugins serve`), used over MCP. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createGlobalContext,
  PluginManager,
  parsePluginsYaml,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@contextforge/plugin-framework/package.json')), 'dist', 'cli.js');
const here = dirname(fileURLToPath(import.meta.url));

describe('built-in plugin served as an external plugin', () => {
  it('masks a card number through mcpplugins serve over streamable HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-ext-real-'));
    const serverConfig = join(dir, 'server.yaml');
    writeFileSync(
      serverConfig,
      'plugins:\n  - name: pii\n    kind: "@contextforge/plugin-pii-filter"\n    config: { default_mask_strategy: partial }\nserver_settings: { host: 127.0.0.1, port: 0 }\n',
    );
    // Resolve the plugin package from this package's node_modules (the server's YAML lives in a temp folder).
    const child = spawn(process.execPath, [cli, 'serve', '--config', serverConfig, '--log-level', 'warn'], {
      cwd: here,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /serving \d+ plugin\(s\) on (\S+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const manager = new PluginManager({
      config: parsePluginsYaml(
        `plugins:\n  - { name: pii, kind: external, mcp: { proto: STREAMABLEHTTP, url: "${url}" } }\n`,
      ),
      logger: silentLogger,
    });
    try {
      await manager.initialize();
      const out = await manager.invokeHook(
        'tool_post_invoke',
        { name: 't', result: { content: [{ type: 'text', text: 'card 4111-1111-1111-1111' }] } },
        createGlobalContext(),
      );
      expect(out.payload.result).toEqual({ content: [{ type: 'text', text: 'card ****-****-****-1111' }] });
    } finally {
      await manager.shutdown();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
