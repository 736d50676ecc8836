import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGlobalContext, PluginManager, parsePluginsYaml, silentLogger } from '../src/index.js';
import { cliPath, startCliServer } from './support/external.js';

const run = (args: string[], cwd?: string) =>
  spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd });
const tempDir = () => mkdtempSync(join(tmpdir(), 'cf-cli-'));

describe('mcpplugins bootstrap', () => {
  it('creates a native plugin package whose own tests pass', () => {
    const dest = join(tempDir(), 'my-guard');
    const result = run(['bootstrap', '--destination', dest, '--template-type', 'native']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('wrote 5 file(s)');
    expect(JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8')).name).toBe('my-guard');
    const tests = spawnSync(process.execPath, ['--test', 'test/'], { cwd: dest, encoding: 'utf8' });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
  });

  it('accepts the CPEX spellings, lists files with --dry-run and refuses a non-empty folder', () => {
    const dest = join(tempDir(), 'existing-project');
    mkdirSync(dest);
    writeFileSync(join(dest, 'existing.txt'), 'x');
    const dry = run([
      'bootstrap',
      '--destination',
      dest,
      '--template_type',
      'external',
      '--dry_run',
      '--no_input',
      '--force',
    ]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('would write 5 file(s)');
    expect(dry.stdout).toContain('resources/plugins/config.yaml');
    const refused = run(['bootstrap', '--destination', dest]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not empty (use --force');
    expect(run(['bootstrap', '--destination', dest, '--template-type', 'wasm']).status).toBe(2);
    const badName = run(['bootstrap', '--destination', join(tempDir(), 'Bad Name')]);
    expect(badName.stderr).toContain(
      'plugin name "Bad Name" from the destination folder name (pass --name to choose another)',
    );
  });

  it('creates an external plugin server that serves and blocks through the gateway client', async () => {
    const dest = join(tempDir(), 'my-server');
    expect(run(['bootstrap', '--destination', dest, '--template-type', 'external']).status).toBe(0);
    const server = await startCliServer([
      '--config',
      join(dest, 'resources/plugins/config.yaml'),
      '--port',
      '0',
    ]);
    const manager = new PluginManager({
      config: parsePluginsYaml(
        `plugins:\n  - { name: my-server, kind: external, mcp: { proto: STREAMABLEHTTP, url: "${server.url}" } }\n`,
      ),
      logger: silentLogger,
    });
    try {
      await manager.initialize();
      const out = await manager.invokeHook(
        'tool_pre_invoke',
        { name: 't', args: { q: 'something forbidden' } },
        createGlobalContext(),
      );
      expect(out.violation).toMatchObject({ code: 'BLOCKED_WORD', pluginName: 'my-server' });
    } finally {
      await manager.shutdown();
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('mcpplugins validate', () => {
  it('accepts a valid file and reports every problem of an invalid one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.yaml'), 'plugins:\n  - { name: a, kind: ./a.mjs }\n');
    writeFileSync(join(dir, 'a.mjs'), 'export const createPlugin = ({ name }) => ({ name, hooks: {} });\n');
    const ok = run(['validate', join(dir, 'ok.yaml')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('valid (1 plugin(s))');
    writeFileSync(join(dir, 'bad.yaml'), 'plugins:\n  - { name: a, kind: x, mode: loud }\n  - { kind: y }\n');
    const bad = run(['validate', join(dir, 'bad.yaml')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('plugins[0] "a": mode: must be one of');
    expect(bad.stderr).toContain('plugins[1]: name: Invalid input: expected string, received undefined');
  });

  it('checks a plugin config block against the plugin module schema', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'p.mjs'),
      `export const createPlugin = ({ name }) => ({ name, hooks: {} });
export const configSchema = { safeParse: (v) => typeof v.limit === 'number' ? { success: true } : { success: false, error: { issues: [{ code: 'invalid_type', path: ['limit'], message: 'expected number' }] } } };
`,
    );
    writeFileSync(
      join(dir, 'c.yaml'),
      'plugins:\n  - { name: p, kind: ./p.mjs, config: { limit: "ten" } }\n  - { name: q, kind: not-installed-xyz }\n',
    );
    const result = run(['validate', join(dir, 'c.yaml')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('plugins[0] "p": config.limit: expected number');
    expect(result.stderr).toContain(
      'warning: plugins[1] "q": plugin "q": cannot find package "not-installed-xyz"',
    );
    expect(run(['validate', join(dir, 'missing.yaml')]).stderr).toContain('cannot read the file');
  });
});

describe('mcpplugins list', () => {
  it('lists plugin packages found in node_modules folders', () => {
    const dir = tempDir();
    const pkg = join(dir, 'node_modules', '@acme', 'plugin-audit');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: '@acme/plugin-audit',
        version: '1.2.3',
        description: 'Audits',
        contextforge: { plugin: { hooks: ['tool_post_invoke'] } },
      }),
    );
    const binary = join(dir, 'node_modules', '@acme', 'plugin-audit-linux-x64-gnu');
    mkdirSync(binary, { recursive: true });
    writeFileSync(
      join(binary, 'package.json'),
      JSON.stringify({
        name: '@acme/plugin-audit-linux-x64-gnu',
        version: '1.2.3',
        keywords: ['contextforge-plugin'],
        main: 'audit.linux-x64-gnu.node',
      }),
    );
    mkdirSync(join(dir, 'node_modules', 'lodash'));
    writeFileSync(join(dir, 'node_modules', 'lodash', 'package.json'), '{"name":"lodash","version":"4.0.0"}');
    const json = run(['list', '--json', '--dir', dir]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: '@acme/plugin-audit',
        version: '1.2.3',
        description: 'Audits',
        hooks: ['tool_post_invoke'],
        path: pkg,
      },
    ]);
    expect(run(['list', '--dir', dir]).stdout).toContain(
      '@acme/plugin-audit@1.2.3  Audits\n    hooks: tool_post_invoke',
    );
  });
});
