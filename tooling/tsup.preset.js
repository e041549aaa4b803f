// One build recipe for every package: ESM + CJS + declarations, Node 20 target.
// `entry` lists the public entry points of the package (index plus any sub-path exports).
export function gyroTsup(entry = ['src/index.ts'], extra = {}) {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    shims: true,
    ...extra,
  };
}
