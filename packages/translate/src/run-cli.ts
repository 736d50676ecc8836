import { CommanderError, InvalidArgumentError } from 'commander';
import { normalizeArgv } from './legacy-argv.js';
import { createProgram } from './program.js';

/**
 * Parses `argv` (supergateway and ContextForge spellings accepted, see `normalizeArgv`) and runs
 * the matching command, mapping usage errors to exit code 2 (commander itself would use 1, which we
 * keep for runtime failures).
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
    if (error instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
