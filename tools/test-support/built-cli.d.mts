import type { ChildProcess, SpawnSyncReturns } from 'node:child_process';

/** A package's built CLI: its path, the package version, and a synchronous runner. */
export interface BuiltCli {
  /** Absolute path of `dist/cli.js`. */
  cli: string;
  /** `version` from the package's package.json. */
  version: string;
  /** Runs the CLI with `node` and the given arguments; stdout/stderr as UTF-8 strings. */
  run(...args: string[]): SpawnSyncReturns<string>;
}
/** The built CLI of the package whose root folder is `packageRoot` (a URL ending in `/`). */
export declare function builtCli(packageRoot: URL): BuiltCli;
/**
 * Defines the suite `<bin> (built bin)` with the checks every published bin must pass:
 * `--version`, `--help` (usage, examples, exit codes) and exit code 2 on an unknown option.
 */
export declare function describeBuiltCli(bin: string, packageRoot: URL): void;
/** A started CLI process that announced its URL. */
export interface ListeningCli {
  child: ChildProcess;
  /** The URL from its `listening on <url>` line. */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}
/**
 * Starts `node <cli> <args>` and resolves once it prints `listening on <url>`; rejects when it exits
 * first or after `timeoutMs` (default 60 s). The child is pushed onto `children` at once.
 */
export declare function startListening(
  cli: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; children?: ChildProcess[]; timeoutMs?: number },
): Promise<ListeningCli>;
