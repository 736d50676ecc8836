import { CommanderError } from 'commander';
import { ConfigError, createProgram } from './program.js';

/**
 * Parses `argv` and runs the wrapper. Exit codes: 0 success, 1 runtime failure, 2 usage or
 * configuration error (commander's parse errors, which it has already printed, and bad settings).
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = createProgram().exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with a "commander.helpDisplayed"/"commander.version" error and code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`mcp-wrapper: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}
