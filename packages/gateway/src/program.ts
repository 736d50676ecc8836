import { Command, Option } from 'commander';
import { configSchemaCommand, configValidateCommand } from './commands/config.js';
import { migrateCommand } from './commands/migrate.js';
import { rotateKeyCommand } from './commands/rotate-key.js';
import { serveCommand } from './commands/serve.js';
import { tokenCreateCommand, tokenDecodeCommand, tokenRevokeCommand } from './commands/token.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { userCreateCommand, userResetPasswordCommand } from './commands/user.js';
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
  $ TOKEN=$(contextforge token create --username admin@example.com --exp 60)
  $ contextforge user create --email dev@example.com --password -   # password on stdin
  $ NEW_AUTH_ENCRYPTION_SECRET=… contextforge rotate-key

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

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const token = program.command('token').description('create, decode and revoke gateway JWTs and API tokens');
  token
    .command('create')
    .description('sign a JWT for a user (or, with --api-token, issue a stored API token); prints the token')
    .requiredOption('-u, --username <email>', 'subject (sub) of the token')
    .option(
      '-e, --exp <minutes>',
      'lifetime in minutes (0 = no expiry, refused while REQUIRE_TOKEN_EXPIRATION)',
      '10080',
    )
    .option('--admin', 'is_admin claim (and, unless --teams is given, teams null: sees everything)')
    .option('--teams <ids>', "comma-separated team ids the token may see ('null' with --admin: all)")
    .option('--scopes <json>', 'scopes claim, e.g. {"server_id":"abc","permissions":["tools.execute"]}')
    .option('--data <json>', 'extra claims')
    .option('--api-token <name>', 'issue a stored API token with this name instead of a JWT')
    .option('--team <id>', 'API token: the team it acts for')
    .option('--server <id>', 'API token: a virtual server it may use (repeatable)', collect)
    .option('--permission <name>', 'API token: a permission it is limited to (repeatable)', collect)
    .option('--ip <cidr>', 'API token: a client network it may be used from (repeatable)', collect)
    .addOption(envFileOption())
    .action((options) => tokenCreateCommand(options));
  token
    .command('decode <token>')
    .description('print the header and claims of a JWT (not verified)')
    .action((value: string) => tokenDecodeCommand(value));
  token
    .command('revoke <token-or-id>')
    .description('revoke a JWT (token or jti) or an API token (token or id)')
    .addOption(envFileOption())
    .action((value: string, options: { envFile?: string }) => tokenRevokeCommand(value, options));

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user (password policy and Argon2id apply)')
    .requiredOption('--email <email>', 'the email address')
    .requiredOption('--password <password>', "the password ('-' reads it from standard input)")
    .option('--admin', 'make the user a platform administrator')
    .option('--full-name <name>', 'display name')
    .addOption(envFileOption())
    .action((options) => userCreateCommand(options));
  user
    .command('reset-password')
    .description('set a new password (unlocks the account, ends its sessions)')
    .requiredOption('--email <email>', 'the email address')
    .requiredOption('--password <password>', "the new password ('-' reads it from standard input)")
    .addOption(envFileOption())
    .action((options) => userResetPasswordCommand(options));

  program
    .command('rotate-key')
    .description('re-encrypt every stored secret under a new AUTH_ENCRYPTION_SECRET (one transaction)')
    .option(
      '--new-secret <secret>',
      "the new secret ('-' reads it from standard input; default NEW_AUTH_ENCRYPTION_SECRET)",
    )
    .addOption(envFileOption())
    .action((options: { newSecret?: string; envFile?: string }) => rotateKeyCommand(options));

  return program;
}
