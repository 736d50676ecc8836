/**
 * `mcpplugins validate`: checks a configuration file, and each plugin's `config` block against
 * the plugin package's schema when the package can be found.
 */

import { formatIssue } from '../config/format-issues.js';
import { loadPluginsConfig } from '../config/load-config.js';
import { errorMessage } from '../errors.js';
import { resolvePluginModule } from '../manager/plugin-loader.js';

/** The verdict on one file. */
export interface ValidationReport {
  ok: boolean;
  plugins: number;
  problems: string[];
  warnings: string[];
}

/** Validates `path`; never throws for content problems (they are in the report). */
export async function validateConfigFile(
  path: string,
  options: { strict?: boolean } = {},
): Promise<ValidationReport> {
  const report: ValidationReport = { ok: true, plugins: 0, problems: [], warnings: [] };
  let config: Awaited<ReturnType<typeof loadPluginsConfig>>;
  try {
    config = await loadPluginsConfig(path);
  } catch (error) {
    report.ok = false;
    report.problems.push(errorMessage(error));
    return report;
  }
  report.plugins = config.plugins.length;
  for (const [index, entry] of config.plugins.entries()) {
    if (entry.kind === 'external') continue;
    const prefix = `plugins[${index}] "${entry.name}"`;
    try {
      const module = await resolvePluginModule(entry.kind, entry.name, { baseDir: config.baseDir });
      const result = module.configSchema?.safeParse(entry.config ?? {});
      if (result && !result.success) {
        const issues =
          (result.error as { issues?: Parameters<typeof formatIssue>[0][] } | undefined)?.issues ?? [];
        for (const issue of issues)
          report.problems.push(formatIssue({ ...issue, path: ['config', ...issue.path] }, prefix));
        if (issues.length === 0) report.problems.push(`${prefix}: config is invalid`);
      }
    } catch (error) {
      const message = `${prefix}: ${errorMessage(error)}`;
      if (options.strict) report.problems.push(message);
      else report.warnings.push(`${message} (config block not checked)`);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}
