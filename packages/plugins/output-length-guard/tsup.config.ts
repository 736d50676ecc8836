import { packageConfig } from '@contextforge-internal/build-config/tsup';
import { defineConfig } from 'tsup';

export default defineConfig(packageConfig());
