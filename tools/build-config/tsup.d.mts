import type { Options } from 'tsup';

/** See tsup.mjs. */
export declare function packageConfig(options?: {
  cwd?: string;
  bins?: Record<string, string>;
  external?: string[];
}): Options[];
