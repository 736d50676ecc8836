import { testConfig } from '@contextforge-internal/build-config/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig(testConfig());
