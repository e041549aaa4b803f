import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

// The worker entry is built beside index.js so the pool resolves it relative to its own module;
// cli.js is the start script (and the package's bin). `./config` is the settings table alone, so
// `gyro serve` can build its options without loading the server; `./huge-pages` is the relaunch
// both start-ups run before anything else (no server either); `./internals` is what the server is
// built from (buildApp, the worker pool), for tests and tools.
export default defineConfig(
  gyroTsup(
    {
      index: 'src/index.ts',
      config: 'src/config.ts',
      'huge-pages': 'src/huge-pages.ts',
      internals: 'src/internals.ts',
      cli: 'src/cli.ts',
      'engine-worker': 'src/worker/engine-worker.ts',
    },
    { dts: { entry: { index: 'src/index.ts', config: 'src/config.ts', 'huge-pages': 'src/huge-pages.ts', internals: 'src/internals.ts' } } },
  ),
);
