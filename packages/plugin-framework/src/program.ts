import { Command, InvalidArgumentError, Option } from 'commander';
import { bootstrapProject, type TemplateType } from './cli/bootstrap.js';
import { listInstalledPlugins } from './cli/list.js';
import { servePluginConfig } from './cli/serve.js';
import { validateConfigFile } from './cli/validate.js';
import { VERSION } from './version.js';

const parsePort = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return port;
};

/**
 * Builds the `mcpplugins` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success, 1 runtime failure (invalid configuration, cannot listen), 2 usage error.
 */
export function createProgram(): Command {
  const program = new Command('mcpplugins')
    .description('Manage ContextForge plugins: bootstrap, serve, validate, list')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcpplugins bootstrap --destination my-plugin --template-type native
  $ mcpplugins bootstrap --destination my-server --template-type external
  $ mcpplugins validate plugins/config.yaml
  $ mcpplugins serve --config plugins/config.yaml --port 8000
  $ mcpplugins list

Exit codes:
  0  success
  1  runtime failure (invalid configuration, server failed)
  2  usage error (unknown option or bad argument)`,
    );

  program
    .command('bootstrap')
    .description('create a plugin project from a template')
    .requiredOption('-d, --destination <dir>', 'folder to create')
    .addOption(
      new Option('-t, --template-type <type>', 'native (in-process package) or external (MCP plugin server)')
        .choices(['native', 'external'])
        .default('native'),
    )
    .addOption(new Option('--template_type <type>').choices(['native', 'external']).hideHelp())
    .option('-n, --name <name>', 'plugin / package name (default: the folder name)')
    .option('--dry-run', 'list the files without writing them')
    .addOption(new Option('--dry_run').hideHelp())
    .option('--no-input', 'never prompt (the default; accepted for CPEX compatibility)')
    .addOption(new Option('--no_input').hideHelp())
    .option('--force', 'write into a non-empty folder (never overwrites existing files)')
    .action((opts: Record<string, unknown>) => {
      const files = bootstrapProject({
        destination: String(opts.destination),
        templateType: (opts.template_type ?? opts.templateType) as TemplateType,
        ...(opts.name ? { name: String(opts.name) } : {}),
        dryRun: Boolean(opts.dryRun ?? opts.dry_run),
        force: Boolean(opts.force),
      });
      const verb = opts.dryRun || opts.dry_run ? 'would write' : 'wrote';
      process.stdout.write(
        `${verb} ${files.length} file(s) in ${String(opts.destination)}:\n${files.map((f) => `  ${f}`).join('\n')}\n`,
      );
    });

  program
    .command('validate')
    .description(
      'validate a plugins configuration file (and each plugin config block when its package is installed)',
    )
    .argument('<file>', 'the YAML file')
    .option('--strict', 'fail when a plugin package cannot be found')
    .action(async (file: string, opts: { strict?: boolean }) => {
      const report = await validateConfigFile(file, { strict: Boolean(opts.strict) });
      for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
      if (!report.ok) {
        process.stderr.write(`${report.problems.join('\n')}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${file}: valid (${report.plugins} plugin(s))\n`);
    });

  program
    .command('serve')
    .description('serve the plugins of a configuration file as an external plugin server (MCP)')
    .option('-c, --config <file>', 'configuration file (default $PLUGINS_CONFIG_PATH or plugins/config.yaml)')
    .addOption(
      new Option('--transport <transport>', 'http (streamable HTTP) or stdio').choices(['http', 'stdio']),
    )
    .option('--host <host>', 'listen address (overrides server_settings.host)')
    .option('--port <port>', 'listen port, 0 for any free one (overrides server_settings.port)', parsePort)
    .option('--uds <path>', 'listen on a Unix domain socket instead of TCP')
    .addOption(
      new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error', 'silent']),
    )
    .action(
      async (opts: {
        config?: string;
        transport?: 'http' | 'stdio';
        host?: string;
        port?: number;
        uds?: string;
        logLevel?: 'info';
      }) => {
        const served = await servePluginConfig(opts);
        // stderr: stdout belongs to the stdio transport.
        process.stderr.write(
          `mcpplugins: serving ${served.manager.listPlugins().length} plugin(s) on ${served.server.url}\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await served.close();
      },
    );

  program
    .command('list')
    .description('list installed plugin packages (node_modules from the current folder upwards)')
    .option('--json', 'print JSON')
    .option('--dir <dir>', 'start looking from this folder', process.cwd())
    .action((opts: { json?: boolean; dir: string }) => {
      const plugins = listInstalledPlugins(opts.dir);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(plugins, null, 2)}\n`);
        return;
      }
      if (plugins.length === 0) {
        process.stdout.write('no plugin packages installed\n');
        return;
      }
      for (const p of plugins) {
        process.stdout.write(
          `${p.name}@${p.version}  ${p.description}\n    hooks: ${p.hooks.join(', ') || '-'}\n`,
        );
      }
    });

  return program;
}
