import type { UserConfig } from 'vitest/config';

/** See vitest.mjs. */
export declare function testConfig(overrides?: NonNullable<UserConfig['test']>, cwd?: string): UserConfig;
