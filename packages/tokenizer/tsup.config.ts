import { defineConfig } from 'tsup';
import { gyroTsup } from '@gyro/tooling/tsup';

// Two entries: the library, and the worker script EncodePool starts (dist/encode-worker.js).
export default defineConfig(gyroTsup({ index: 'src/index.ts', internals: 'src/internals.ts', 'encode-worker': 'src/parallel/encode-worker.ts' }));
