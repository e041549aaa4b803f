import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

// vitest stays external: @gyro/store/testing runs inside the consumer's own vitest.
export default defineConfig(gyroTsup(['src/index.ts', 'src/testing.ts', 'src/internals.ts'], { external: ['vitest'] }));
