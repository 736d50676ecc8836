/**
 * Validates a parsed configuration object, collecting every problem (not just the first) with
 * the entry's index and name in each message.
 */
import { PluginConfigError } from '../errors.js';
import { formatIssue } from './format-issues.js';
import {
  type PluginConfig,
  type PluginsConfig,
  pluginConfigSchema,
  pluginsConfigSchema,
  serverSettingsSchema,
} from './schema.js';

/** Options of `parsePluginsConfig`. */
export interface ParseOptions {
  /** Where the object came from, for messages (default "<inline>"). */
  source?: string;
  /** Directory relative paths resolve against (default the current directory). */
  baseDir?: string;
}

/**
 * Validates `raw` (the YAML document as a JS value).
 *
 * @throws PluginConfigError listing every problem, each naming the entry (`plugins[2] "pii"`)
 */
export function parsePluginsConfig(raw: unknown, options: ParseOptions = {}): PluginsConfig {
  const source = options.source ?? '<inline>';
  const problems: string[] = [];
  const document = raw ?? {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new PluginConfigError(source, ['the file must contain a mapping with a "plugins" list']);
  }
  const top = pluginsConfigSchema.safeParse(document, { reportInput: true });
  if (!top.success) {
    for (const issue of top.error.issues) problems.push(formatIssue(issue));
    throw new PluginConfigError(source, problems);
  }
  const plugins: PluginConfig[] = [];
  const seen = new Map<string, number>();
  top.data.plugins.forEach((entry, index) => {
    const name = readName(entry);
    const prefix = `plugins[${index}]${name ? ` "${name}"` : ''}`;
    const previous = name === undefined ? undefined : seen.get(name.trim());
    if (previous !== undefined)
      problems.push(`${prefix}: name: duplicate plugin name (also used by plugins[${previous}])`);
    else if (name !== undefined) seen.set(name.trim(), index);
    const parsed = pluginConfigSchema.safeParse(entry, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(formatIssue(issue, prefix));
      return;
    }
    plugins.push(parsed.data);
  });
  if (problems.length > 0) throw new PluginConfigError(source, problems);
  return {
    plugins,
    pluginDirs: top.data.plugin_dirs,
    settings: top.data.plugin_settings,
    ...(top.data.server_settings
      ? { serverSettings: serverSettingsSchema.parse(top.data.server_settings) }
      : {}),
    baseDir: options.baseDir ?? process.cwd(),
    source,
  };
}

function readName(entry: unknown): string | undefined {
  if (entry && typeof entry === 'object' && 'name' in entry) {
    const name = (entry as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}
