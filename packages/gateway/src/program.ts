import { Command, Option } from 'commander';
import { configSchemaCommand, configValidateCommand } from './commands/config.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { VERSION } from './version.js';

const envFileOption = () =>
  new Option('--env-file <file>', 'read settings from this dotenv file (default: ./.env when present)');

/**
 * Builds the `contextforge` command line. Kept separate from `cli.ts` so tests and embedders can run it
 * without touching `process`.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error (unknown option, bad argument).
 */
export function createProgram(): Command {
  const program = new Command('contextforge')
    .description('ContextForge MCP gateway, proxy and registry')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ contextforge serve                      # http://127.0.0.1:4444, SQLite file ./contextforge.db
  $ DATABASE_URL=postgresql://user@db/cf contextforge serve --host 0.0.0.0
  $ contextforge migrate
  $ contextforge config validate .env
  $ contextforge export -o backup.json
  $ contextforge import backup.json --conflict-strategy skip --dry-run

Exit codes:
  0  success
  1  runtime failure (invalid configuration, database unreachable, import rejected)
  2  usage error (unknown option or bad argument)`,
    );

  program
    .command('serve')
    .description('start the gateway (applies pending database migrations first)')
    .option('--host <host>', 'interface to bind (overrides HOST)')
    .option('--port <port>', 'port to listen on (overrides PORT)')
    .addOption(envFileOption())
    .action((options: { host?: string; port?: string; envFile?: string }) => serveCommand(options));

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--status', 'only list pending migrations (exit 1 when some are pending)')
    .addOption(envFileOption())
    .action((options: { status?: boolean; envFile?: string }) => migrateCommand(options));

  const config = program.command('config').description('inspect and check settings');
  config
    .command('schema')
    .description('print the JSON Schema of every setting')
    .action(() => configSchemaCommand());
  config
    .command('validate [file]')
    .description('check a dotenv file (or the current environment and ./.env)')
    .action((file: string | undefined) => configValidateCommand(file));

  program
    .command('export')
    .description('export registry entities to a JSON bundle (secrets stay encrypted)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--types <types>', 'comma-separated: gateways,tools,resources,prompts,servers,roots')
    .option('--tags <tags>', 'only entities carrying one of these comma-separated tags')
    .option('--no-include-inactive', 'leave out disabled entities')
    .addOption(envFileOption())
    .action(
      (options: {
        output?: string;
        types?: string;
        tags?: string;
        includeInactive: boolean;
        envFile?: string;
      }) => exportCommand(options),
    );

  program
    .command('import <file>')
    .description('import a JSON bundle (one transaction: all or nothing)')
    .addOption(
      new Option('--conflict-strategy <strategy>', 'what to do with entities that already exist')
        .choices(['skip', 'update', 'rename', 'fail'])
        .default('update'),
    )
    .option('--dry-run', 'report what would happen without changing anything')
    .option(
      '--rekey-secret <secret>',
      'the AUTH_ENCRYPTION_SECRET the bundle was exported with, when it differs',
    )
    .addOption(envFileOption())
    .action(
      (
        file: string,
        options: { conflictStrategy: string; dryRun?: boolean; rekeySecret?: string; envFile?: string },
      ) => importCommand(file, options),
    );

  return program;
}
