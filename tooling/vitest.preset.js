// Shared vitest settings. Tests sit beside their code (`*.test.ts`). Workspace packages
// resolve to their TypeScript sources, so a test never runs against a stale dist/ build
// (the packaging test checks dist/ separately). The asset-building suites are heavy, so
// files run in forks with a generous timeout.
import { resolve } from 'node:path';
import { repoRoot } from './golden.js';

const sources = {
  '@gyro/information/testing': 'packages/information/src/testing.ts',
  '@gyro/information/internals': 'packages/information/src/internals.ts',
  '@gyro/information': 'packages/information/src/index.ts',
  '@gyro/tokenizer/internals': 'packages/tokenizer/src/internals.ts',
  '@gyro/tokenizer': 'packages/tokenizer/src/index.ts',
  '@gyro/store/testing': 'packages/store/src/testing.ts',
  '@gyro/store/internals': 'packages/store/src/internals.ts',
  '@gyro/store': 'packages/store/src/index.ts',
  '@gyro/store-redis/testing': 'packages/store-redis/src/testing.ts',
  '@gyro/store-redis': 'packages/store-redis/src/index.ts',
  '@gyro/intelligence/internals': 'packages/intelligence/src/internals.ts',
  '@gyro/intelligence': 'packages/intelligence/src/index.ts',
};

export function gyroVitest(extra = {}) {
  return {
    resolve: {
      alias: Object.entries(sources).map(([find, path]) => ({
        find: new RegExp(`^${find.replace('/', '\\/')}$`),
        replacement: resolve(repoRoot, path),
      })),
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      pool: 'forks',
      testTimeout: 120_000,
      hookTimeout: 300_000,
      ...extra,
    },
  };
}
