import { testConfig } from '@contextforge-internal/build-config/vitest';
import { defineConfig } from 'vitest/config';

// These tests spawn the built CLI (several times per test): give them room on a loaded 2-core machine.
export default defineConfig(testConfig({ testTimeout: 120_000, hookTimeout: 60_000 }));
