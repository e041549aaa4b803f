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
import type { IdSink } from '../wire/id-list.js';
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
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Chunks longer than this are encoded but not remembered (they rarely repeat). */
const MAX_CACHED_CHUNK = 48;
/** Entries kept before the memo starts over (bounded memory on endless input). */
const MAX_ENTRIES = 1 << 19;
const INITIAL_SLOTS = 1 << 17;

/**
 * Cuts texts into chunks at ASCII whitespace and memoises chunk → ids in an open-addressing
 * hash table. The hash (FNV-1a over UTF-16 units) is computed while scanning for the cut, and
 * a remembered chunk is compared in place, so a repeated chunk costs no string slice, no
 * allocation and no second pass. The ids of all entries live in one growing Int32Array.
 */
export class ChunkMemo {
  /** Chunk of each slot; '' marks an empty slot (chunks are never empty). */
  private keys: string[] = emptySlots(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS);
  /** Packed entry: offset in `store` · 64 + number of ids (a chunk ≤ 48 units has < 64 ids). */
  private packed = new Float64Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;
  private store = new Int32Array(1 << 16);
  private used = 0;

  /** Remembered chunks. */
  get size(): number {
    return this.count;
  }

  /**
   * Append the ids of `text` (or of its range [from, to)) to `out`, chunk by chunk:
   * remembered chunks from the memo, new ones from `encodeChunk` (then remembered).
   */
  appendIds(text: string, out: IdSink, encodeChunk: (chunk: string) => readonly number[], from = 0, to = text.length): void {
    const n = to;
    let start = -1;
    let hash = FNV_OFFSET;
    for (let i = from; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === LF || c === TAB || c === CR) {
        if (start >= 0) {
          this.appendChunk(text, start, i, hash, out, encodeChunk);
          start = -1;
        }
      } else {
        if (start < 0) {
          start = i;
          hash = FNV_OFFSET;
        }
        hash = Math.imul(hash ^ c, FNV_PRIME);
      }
    }
    if (start >= 0) this.appendChunk(text, start, n, hash, out, encodeChunk);
  }

  private appendChunk(text: string, start: number, end: number, hash: number, out: IdSink, encodeChunk: (chunk: string) => readonly number[]): void {
    const length = end - start;
    if (length <= MAX_CACHED_CHUNK) {
      const keys = this.keys;
      for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
        const key = keys[slot]!;
        if (key === '') break;
        if (this.hashes[slot] === hash && key.length === length && sameText(key, text, start)) {
          const packed = this.packed[slot]!;
          const count = packed % 64;
          const at = (packed - count) / 64;
          const store = this.store;
          for (let k = at; k < at + count; k++) out.push(store[k]!);
          return;
        }
      }
    }
    const chunk = start === 0 && end === text.length ? text : text.slice(start, end);
    const ids = encodeChunk(chunk);
    for (let k = 0; k < ids.length; k++) out.push(ids[k]!);
    if (length <= MAX_CACHED_CHUNK && ids.length < 64) this.remember(chunk, hash, ids);
  }

  private remember(chunk: string, hash: number, ids: readonly number[]): void {
    if (this.count >= MAX_ENTRIES) this.clear();
    else if (2 * (this.count + 1) > this.keys.length) this.grow();
    if (this.used + ids.length > this.store.length) {
      const grown = new Int32Array(this.store.length * 2);
      grown.set(this.store.subarray(0, this.used));
      this.store = grown;
    }
    const at = this.used;
    for (let k = 0; k < ids.length; k++) this.store[at + k] = ids[k]!;
    this.used += ids.length;
    this.place(chunk, hash, at * 64 + ids.length);
    this.count++;
  }

  private place(key: string, hash: number, packed: number): void {
    let slot = hash & this.mask;
    while (this.keys[slot] !== '') slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.hashes[slot] = hash;
    this.packed[slot] = packed;
  }

  private grow(): void {
    const { keys, hashes, packed } = this;
    const slots = keys.length * 2;
    this.keys = emptySlots(slots);
    this.hashes = new Int32Array(slots);
    this.packed = new Float64Array(slots);
    this.mask = slots - 1;
    for (let s = 0; s < keys.length; s++) if (keys[s] !== '') this.place(keys[s]!, hashes[s]!, packed[s]!);
  }

  private clear(): void {
    this.keys = emptySlots(INITIAL_SLOTS);
    this.hashes = new Int32Array(INITIAL_SLOTS);
    this.packed = new Float64Array(INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
    this.count = 0;
    this.used = 0;
  }
}

/** Empty slots as '' (not holes), so the key array stays a packed array of strings. */
function emptySlots(n: number): string[] {
  const slots: string[] = [];
  for (let i = 0; i < n; i++) slots.push('');
  return slots;
}

function sameText(key: string, text: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}
