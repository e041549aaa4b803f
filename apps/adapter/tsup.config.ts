import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

// The worker entry is built beside index.js so the pool resolves it relative to its own module;
// cli.js is the start script. Only the library entry needs declarations.
export default defineConfig(
  gyroTsup({ index: 'src/index.ts', cli: 'src/cli.ts', 'engine-worker': 'src/worker/engine-worker.ts' }, { dts: { entry: { index: 'src/index.ts' } } }),
);
