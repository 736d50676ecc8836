import { describe, expect, it } from 'vitest';
import { PluginConfigError } from '../errors.js';
import { parsePluginsYaml } from './load-config.js';

/** Runs `fn` and returns the PluginConfigError it threw. */
function configError(fn: () => unknown): PluginConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PluginConfigError) return error;
    throw error;
  }
  throw new Error('expected a PluginConfigError');
}

const CONTEXTFORGE_FILE = `
plugin_dirs: ["plugins/native"]
plugin_settings:
  parallel_execution_within_band: true
  plugin_timeout: 120
  fail_on_plugin_error: false
  enable_plugin_api: true
  plugin_health_check_interval: 120
  include_user_info: false
plugins:
  - name: "PIIFilterPlugin"
    kind: "cpex_pii_filter.PIIFilterPlugin"
    hooks: ["prompt_pre_fetch", "tool_post_invoke"]
    tags: ["security", "pii"]
    mode: "enforce"
    priority: 50
    conditions:
      - prompts: []
        server_ids: []
        tenant_ids: []
    config:
      detect_ssn: true
  - name: "DenyListPlugin"
    kind: "plugins.deny_filter.deny.DenyListPlugin"
    hooks: ["prompt_pre_fetch"]
    mode: "enforce_ignore_error"
    config: { words: ["innovative"] }
  - name: "Replace"
    kind: "plugins.regex_filter.search_replace.SearchReplacePlugin"
    mode: "permissive"
  - name: "OPA"
    kind: "external"
    mode: "transform"
    mcp:
      proto: streamablehttp
      url: http://127.0.0.1:8000/mcp
      tls:
        ca_bundle: /app/certs/ca.crt
        certfile: /app/certs/client.crt
        keyfile: /app/certs/client.key
`;

describe('parsePluginsYaml', () => {
  it('accepts a ContextForge file and maps the legacy modes', () => {
    const config = parsePluginsYaml(CONTEXTFORGE_FILE, '/etc/gw/plugins/config.yaml');
    expect(config.baseDir).toBe('/etc/gw/plugins');
    expect(config.settings.plugin_timeout).toBe(120);
    const [pii, deny, replace, opa] = config.plugins;
    expect(pii).toMatchObject({ mode: 'sequential', on_error: 'fail', priority: 50 });
    expect(deny).toMatchObject({ mode: 'sequential', on_error: 'ignore', priority: 100 });
    expect(replace).toMatchObject({ mode: 'transform', hooks: [] });
    expect(opa?.mcp).toMatchObject({ proto: 'STREAMABLEHTTP', reconnect_attempts: 3 });
    expect(opa?.mcp?.tls).toMatchObject({ verify: true, check_hostname: true });
  });

  it('keeps an explicit on_error over the one implied by enforce_ignore_error', () => {
    const config = parsePluginsYaml(
      'plugins:\n  - {name: a, kind: x, mode: enforce_ignore_error, on_error: disable}\n',
    );
    expect(config.plugins[0]).toMatchObject({ mode: 'sequential', on_error: 'disable' });
  });

  it('names the entry and the field of every problem, not just the first', () => {
    const error = configError(() =>
      parsePluginsYaml(`
plugins:
  - name: good
    kind: x
  - name: deny
    kind: x
    mode: enforcing
    prority: 5
  - name: remote
    kind: external
    config: { a: 1 }
    mcp: { proto: STREAMABLEHTTP }
`),
    );
    expect(error.code).toBe('PLUGIN_CONFIG_INVALID');
    expect(error.message).toContain('plugins[1] "deny": mode: must be one of sequential, transform');
    expect(error.message).toContain('(received "enforcing")');
    expect(error.message).toContain('plugins[1] "deny": Unrecognized key: "prority"');
    expect(error.message).toContain('plugins[2] "remote": mcp.url: STREAMABLEHTTP transport requires url');
    expect(error.message).toContain('plugins[2] "remote": config: an external plugin cannot set \'config\'');
    expect(error.problems).toHaveLength(4);
  });

  it('rejects unknown hooks, duplicate names and invalid user patterns', () => {
    const error = configError(() =>
      parsePluginsYaml(`
plugins:
  - { name: a, kind: x, hooks: [tool_pre_invok] }
  - { name: a, kind: y }
  - { name: b, kind: z, conditions: [{ user_patterns: ["(unclosed"] }] }
`),
    );
    expect(error.message).toContain('plugins[0] "a": hooks[0]: must be one of http_pre_request');
    expect(error.message).toContain('plugins[1] "a": name: duplicate plugin name (also used by plugins[0])');
    expect(error.message).toMatch(
      /plugins\[2\] "b": conditions\[0\]\.user_patterns\[0\]: invalid regular expression/,
    );
  });

  it('validates external transports: stdio needs a command, tls only over HTTP, no grpc', () => {
    const error = configError(() =>
      parsePluginsYaml(`
plugins:
  - { name: s, kind: external, mcp: { proto: STDIO } }
  - { name: t, kind: external, mcp: { proto: STDIO, cmd: [node, server.js], tls: { verify: false } } }
  - { name: g, kind: external, grpc: { target: "localhost:50051" } }
  - { name: u, kind: external, mcp: { proto: STREAMABLEHTTP, url: "http://localhost/mcp", uds: /tmp/x.sock, tls: {} } }
`),
    );
    expect(error.message).toContain('plugins[0] "s": mcp.script: STDIO transport requires script or cmd');
    expect(error.message).toContain(
      'plugins[1] "t": mcp.tls: tls is only valid for SSE/STREAMABLEHTTP transports',
    );
    expect(error.message).toContain('plugins[2] "g": grpc: the grpc transport is not supported');
    expect(error.message).toContain(
      'plugins[3] "u": mcp.tls: tls is not supported over a Unix domain socket',
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const error = configError(() => parsePluginsYaml('plugins:\n  - name: a\n   kind: b\n', 'bad.yaml'));
    expect(error.message).toContain('invalid plugin configuration (bad.yaml)');
    expect(error.message).toMatch(/YAML syntax error: .*line 3/);
  });

  it('renders {{ env.NAME | default(...) }} templates before validating', () => {
    const config = parsePluginsYaml(
      `plugins:\n  - name: rl\n    kind: x\n    config:\n      redis_url: '{{ env.RL_URL | default(env.REDIS_URL | default("redis://localhost:6379/0")) }}'\n`,
      '<inline>',
      { REDIS_URL: 'redis://cache:6379/1' },
    );
    expect(config.plugins[0]?.config?.redis_url).toBe('redis://cache:6379/1');
  });

  it('fails clearly when a template names an unset variable without a default', () => {
    const error = configError(() =>
      parsePluginsYaml(`plugins:\n  - name: a\n    kind: '{{ env.NOPE }}'\n`, '<inline>', {}),
    );
    expect(error.message).toContain(
      'plugins[0].kind: template {{ env.NOPE }}: environment variable NOPE is not set',
    );
  });

  it('accepts an empty file and a file without plugins', () => {
    expect(parsePluginsYaml('').plugins).toEqual([]);
    expect(parsePluginsYaml('plugins:\n').plugins).toEqual([]);
    expect(parsePluginsYaml('plugin_settings: { plugin_timeout: 5 }').settings.plugin_timeout).toBe(5);
  });
});
