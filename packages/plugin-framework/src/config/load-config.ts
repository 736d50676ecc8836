/** Reads `plugins/config.yaml` from disk: YAML → env templates → validation. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { PluginConfigError } from '../errors.js';
import { renderEnvTemplates } from './env-template.js';
import { parsePluginsConfig } from './parse-config.js';
import type { PluginsConfig } from './schema.js';

/**
 * Parses YAML text into a validated configuration.
 *
 * @param text YAML source
 * @param source file path (or label) for messages; relative paths resolve against its directory
 * @param env environment for `{{ env.NAME }}` templates
 * @throws PluginConfigError on YAML syntax errors (with line/column) or invalid content
 */
export function parsePluginsYaml(
  text: string,
  source = '<inline>',
  env: NodeJS.ProcessEnv = process.env,
  baseDir?: string,
): PluginsConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new PluginConfigError(
      source,
      document.errors.map((e) => `YAML syntax error: ${e.message.split('\n')[0]}`),
    );
  }
  let raw: unknown;
  try {
    raw = renderEnvTemplates(document.toJS(), env);
  } catch (error) {
    throw new PluginConfigError(source, [(error as Error).message]);
  }
  return parsePluginsConfig(raw, {
    source,
    baseDir: baseDir ?? (source.startsWith('<') ? process.cwd() : dirname(resolve(source))),
  });
}

/**
 * Loads and validates a configuration file.
 *
 * @throws PluginConfigError when the file cannot be read or is invalid
 */
export async function loadPluginsConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PluginsConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new PluginConfigError(absolute, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parsePluginsYaml(text, absolute, env);
}
