import { BridgeError } from '@contextforge/bridge';
import { CommanderError } from 'commander';
import { normalizeArgv } from './legacy-argv.js';
import { createProgram } from './program.js';
import { UsageError } from './usage-error.js';

/**
 * Parses `argv` (supergateway and ContextForge spellings accepted, see `normalizeArgv`) and runs
 * the matching command. Exit codes: 0 success, 1 runtime failure, 2 usage error (commander's own
 * parse errors, which it has already printed, and bad values found afterwards).
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = createProgram().exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(normalizeArgv(argv));
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a "commander.helpDisplayed"/"commander.version" error and code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const usage =
      error instanceof UsageError ||
      (error instanceof BridgeError && (error.code === 'INVALID_OPTION' || error.code === 'INVALID_SPEC'));
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (usage) process.stderr.write('(run with --help for usage)\n');
    process.exitCode = usage ? 2 : 1;
  }
}
