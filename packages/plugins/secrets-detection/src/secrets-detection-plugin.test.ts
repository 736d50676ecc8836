import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.js';
import { configJsonSchema, createPlugin, enabledKinds, manifest, SecretsScanner } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;
const plugin = (config: Record<string, unknown> = {}): Plugin =>
  createPlugin({
    name: 'secrets',
    config,
    entry: {} as never,
    logger: silentLogger,
    configDir: '.',
  }) as Plugin;

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const SLACK = 'xoxb-123456789012-abcdefABCDEF';

describe('secrets-detection plugin', () => {
  it('blocks a tool result carrying a credential, naming kinds but not values', async () => {
    const out = await plugin().hooks.tool_post_invoke!(
      {
        name: 'env',
        result: { content: [{ type: 'text', text: `AWS_ACCESS_KEY_ID=${AWS}\nSLACK=${SLACK}` }] },
      },
      context,
    );
    expect(out).toMatchObject({
      continueProcessing: false,
      violation: {
        code: 'SECRETS_DETECTED',
        details: { count: 2, types: ['aws_access_key_id', 'slack_token'] },
      },
      metadata: { secrets_detection: { count: 2, types: { aws_access_key_id: 1, slack_token: 1 } } },
    });
    expect(JSON.stringify(out)).not.toContain(AWS);
  });

  it('redacts instead of blocking when configured, below min_findings_to_block', async () => {
    const out = await plugin({ redact: true, min_findings_to_block: 3 }).hooks.prompt_pre_fetch!(
      { prompt_id: 'p', args: { a: `key ${AWS}`, b: 'fine' } },
      context,
    );
    expect(out.modifiedPayload).toEqual({ prompt_id: 'p', args: { a: 'key ***REDACTED***', b: 'fine' } });
  });

  it('only reports when neither blocking nor redacting', async () => {
    const out = await plugin({ block_on_detection: false }).hooks.resource_post_fetch!(
      { uri: 'file:///k', content: { text: `-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----` } },
      context,
    );
    expect(out).toEqual({ metadata: { secrets_detection: { count: 1, types: { private_key_block: 1 } } } });
  });

  it('scans only allowed fields and never denied ones', async () => {
    const p = plugin({
      redact: true,
      block_on_detection: false,
      field_allowlist: ['creds'],
      field_denylist: ['creds.test_token'],
    });
    const out = await p.hooks.tool_pre_invoke!(
      { name: 't', args: { creds: { token: SLACK, test_token: SLACK, list: [AWS] }, other: AWS } },
      context,
    );
    expect(out.modifiedPayload).toEqual({
      name: 't',
      args: { creds: { token: '***REDACTED***', test_token: SLACK, list: ['***REDACTED***'] }, other: AWS },
    });
  });

  it('keeps broad heuristics off unless enabled', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N';
    expect(await plugin().hooks.tool_pre_invoke!({ name: 't', args: { jwt } }, context)).toEqual({});
    const out = await plugin({ enabled: { jwt_like: true } }).hooks.tool_pre_invoke!(
      { name: 't', args: { jwt } },
      context,
    );
    expect(out.violation?.details).toEqual({ count: 1, types: ['jwt_like'] });
    expect(enabledKinds(configSchema.parse({ enabled: { aws_access_key_id: false } }))).not.toContain(
      'aws_access_key_id',
    );
  });

  it('rejects bad configuration naming the field', () => {
    expect(() => plugin({ enabled: { aws_key: true } })).toThrow(
      'config.enabled: Unrecognized key: "aws_key"',
    );
    expect(() => plugin({ field_allowlist: ['a..b'] })).toThrow(
      'config.field_allowlist[0]: must be a dotted path',
    );
    expect(() => plugin({ min_findings_to_block: 0 })).toThrow('config.min_findings_to_block');
  });

  it('exposes the native scanner, a manifest and a JSON schema', () => {
    const scanner = new SecretsScanner(['github_token']);
    expect(scanner.scanAll([`a ${AWS}`, 'ghp_0123456789abcdefghijklmnopqrstuvwxyz'], '[x]')).toEqual({
      total: 1,
      counts: { github_token: 1 },
      texts: [`a ${AWS}`, '[x]'],
    });
    scanner.release();
    expect(() => new SecretsScanner(['nope'])).toThrow('argument 1[0]: unknown secret kind "nope"');
    expect(manifest.availableHooks).toEqual([
      'prompt_pre_fetch',
      'tool_pre_invoke',
      'tool_post_invoke',
      'resource_post_fetch',
    ]);
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });
});
