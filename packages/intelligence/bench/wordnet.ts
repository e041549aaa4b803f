import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '@gyro/tooling/golden';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { writeTape } from '@gyro/tokenizer';

/** The glosses compiled to a tape once, cached under .cache/bench. */
export function wordnetTape(): string {
  const dir = join(cacheDir, 'bench');
  const path = join(dir, 'wordnet-glosses.gyro');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    const r = writeTape(path, wordnetGlosses());
    console.log(`compiled ${r.documents} glosses, ${r.tokens} tokens, ${r.bytes} bytes to ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return path;
}
