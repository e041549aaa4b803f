import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

// vitest stays external: the testing entry runs inside the consumer's own vitest.
export default defineConfig(gyroTsup(['src/index.ts', 'src/testing.ts'], { external: ['vitest'] }));
