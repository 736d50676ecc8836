/** Validation of a plugin's own `config` block, with errors naming the plugin and the field. */
import type { z } from 'zod';
import { formatIssue } from '../config/format-issues.js';
import { PluginConfigError } from '../errors.js';

/**
 * Parses `raw` (the entry's `config`, possibly undefined) with `schema`.
 *
 * @throws PluginConfigError whose lines read `plugin "pii": config.detect_ssn: expected boolean…`
 */
export function parsePluginConfig<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  pluginName: string,
  source = 'plugin config',
): z.output<S> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    formatIssue({ ...issue, path: ['config', ...issue.path] }, `plugin "${pluginName}"`),
  );
  throw new PluginConfigError(source, problems, pluginName);
}
