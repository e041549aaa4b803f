// The one way tests reach the reference's golden data: test-data/golden in this repository
// (a plain clone passes its tests alone); GYRO_GOLDEN overrides it.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const goldenDir = process.env.GYRO_GOLDEN ?? join(repoRoot, 'test-data', 'golden');

export function goldenPath(name) {
  const p = join(goldenDir, name);
  if (!existsSync(p)) throw new Error(`golden file ${p} is missing (set GYRO_GOLDEN to the folder)`);
  return p;
}
export function goldenText(name) {
  return readFileSync(goldenPath(name), 'utf8');
}
export function goldenJson(name) {
  return JSON.parse(goldenText(name));
}
/** Cache folder for generated data (meta-assets, corpora): ignored by git, kept between runs. */
export const cacheDir = process.env.GYRO_CACHE ?? join(repoRoot, '.cache');
