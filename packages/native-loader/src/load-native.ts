import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { platformTriple } from './platform-triple.js';

/** Where to look for one native binding. */
export interface NativeBindingSpec {
  /** `napi.binaryName` from the owning package.json; files are named `<binaryName>.<triple>.node`. */
  binaryName: string;
  /** npm name prefix of the per-platform packages; the package for a platform is `<prefix>-<triple>`. */
  packagePrefix: string;
  /** Folder of the owning package, searched first for a locally built `.node` file. */
  directory: string;
  /** Overrides the detected platform triple (tests, unusual libc detection). */
  triple?: string;
}

/** Thrown when no binary for this platform can be loaded; lists every place tried and why. */
export class NativeBindingLoadError extends Error {
  override readonly name = 'NativeBindingLoadError';
  constructor(
    readonly spec: NativeBindingSpec,
    readonly attempts: ReadonlyArray<{ from: string; error: string }>,
  ) {
    super(
      `could not load native binding "${spec.binaryName}" for this platform; tried:\n${attempts
        .map((a) => `  - ${a.from}: ${a.error}`)
        .join('\n')}\n` +
        `Install the matching platform package (${spec.packagePrefix}-<platform>) or build it with "pnpm build:native".`,
    );
  }
}

/**
 * Loads the native binding for this platform: first a locally built
 * `<directory>/<binaryName>.<triple>.node` (development checkouts), then the per-platform npm
 * package `<packagePrefix>-<triple>` (installed from npm as an optional dependency).
 *
 * There is deliberately no JavaScript fallback: a shipped native component that is missing must
 * fail loudly (ARCHITECTURE.md §2).
 *
 * @throws NativeBindingLoadError when neither location yields a loadable binary
 */
export function loadNativeBinding<T = unknown>(spec: NativeBindingSpec): T {
  const attempts: Array<{ from: string; error: string }> = [];
  let triple: string;
  try {
    triple = spec.triple ?? platformTriple();
  } catch (error) {
    attempts.push({ from: 'platform detection', error: (error as Error).message });
    throw new NativeBindingLoadError(spec, attempts);
  }
  const requireFromOwner = createRequire(join(spec.directory, 'package.json'));
  const localFile = join(spec.directory, `${spec.binaryName}.${triple}.node`);
  if (existsSync(localFile)) {
    try {
      return requireFromOwner(localFile) as T;
    } catch (error) {
      attempts.push({ from: localFile, error: (error as Error).message });
    }
  } else {
    attempts.push({ from: localFile, error: 'file not found' });
  }
  const packageName = `${spec.packagePrefix}-${triple}`;
  try {
    return requireFromOwner(packageName) as T;
  } catch (error) {
    attempts.push({ from: packageName, error: (error as Error).message.split('\n')[0] ?? 'load failed' });
  }
  throw new NativeBindingLoadError(spec, attempts);
}
