/**
 * Why a text can be encoded chunk by chunk. In a BERT pipeline (BertNormalizer,
 * BertPreTokenizer, WordPiece) nothing looks across an ASCII space, tab, CR or LF:
 * - the added-token matcher looks for `[CLS]`-like names, which contain no whitespace;
 * - the normaliser works per character (control characters dropped, whitespace → ' ', CJK
 *   padded, lower case, NFD then marks dropped); NFD reordering and the final-sigma rule of
 *   lower-casing never reach past a whitespace character, which is neither a combining mark
 *   nor case-ignorable;
 * - the pre-tokenizer splits at whitespace, and WordPiece sees one word at a time.
 * So the ids of a text are the concatenation of the ids of its whitespace-separated chunks,
 * and a chunk's ids can be memoised. Only these four characters are cut at: \v, \f and other
 * control characters are dropped by the normaliser (so `a\vb` is one word), and Unicode spaces
 * are left to the library. The tests check this against the library on the golden data, on the
 * whole WordNet corpus sample and on random strings built from awkward characters.
 */
import type { TokenizerJson } from './definition.js';

const CHUNKABLE_NORMALIZERS = new Set(['BertNormalizer']);
const CHUNKABLE_PRE_TOKENIZERS = new Set(['BertPreTokenizer']);
const ASCII_WHITESPACE = /[ \t\n\r]/;

/** Whether a tokenizer definition allows chunk-wise encoding (see above). */
export function isChunkLocal(json: TokenizerJson): boolean {
  const type = (part: unknown) => (part && typeof part === 'object' ? (part as { type?: unknown }).type : undefined);
  return (
    CHUNKABLE_NORMALIZERS.has(type(json.normalizer) as string) &&
    CHUNKABLE_PRE_TOKENIZERS.has(type(json.pre_tokenizer) as string) &&
    json.model.type === 'WordPiece' &&
    (json.added_tokens ?? []).every((t) => !ASCII_WHITESPACE.test(t.content) && !t.lstrip && !t.rstrip && !t.single_word)
  );
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

/** Call `visit` with each maximal run of characters other than space, tab, LF and CR. */
export function forEachChunk(text: string, visit: (chunk: string) => void): void {
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === LF || c === TAB || c === CR) {
      if (start >= 0) {
        visit(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) visit(start === 0 ? text : text.slice(start));
}

/** Chunks longer than this are encoded but not remembered (they rarely repeat). */
const MAX_CACHED_CHUNK = 48;
/** Entries kept before the memo starts over (bounded memory on endless input). */
const MAX_ENTRIES = 1 << 18;

/** Memo of chunk → ids, bounded in count and chunk length. */
export class ChunkCache {
  private map = new Map<string, readonly number[]>();

  get(chunk: string): readonly number[] | undefined {
    return this.map.get(chunk);
  }

  set(chunk: string, ids: readonly number[]): void {
    if (chunk.length > MAX_CACHED_CHUNK) return;
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    this.map.set(chunk, ids);
  }

  get size(): number {
    return this.map.size;
  }
}
