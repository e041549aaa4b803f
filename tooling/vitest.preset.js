// Shared vitest settings. Tests sit beside their code (`*.test.ts`); the asset-building
// suites are heavy, so files run in forks with a generous timeout.
export function gyroVitest(extra = {}) {
  return {
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      pool: 'forks',
      testTimeout: 120_000,
      hookTimeout: 300_000,
      reporters: ['default'],
      ...extra,
    },
  };
}
