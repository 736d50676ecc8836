import { CommanderError } from 'commander';
import { createProgram } from './program.js';

/**
 * Parses `argv` and runs the matching command, mapping commander's usage errors to exit code 2
 * (commander itself would use 1, which we keep for runtime failures).
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = createProgram().exitOverride();
  // Subcommands were created before exitOverride(), so they do not inherit it: set it on each.
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a "commander.helpDisplayed"/"commander.version" error and code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
