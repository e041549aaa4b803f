import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenizerConfig, TokenizerJson } from './definition.js';
import { AsciiWordPiece } from './ascii-fast-path.js';
import { ChunkMemo, isChunkLocal } from './chunks.js';

const UNUSED = /^\[unused\d+\]$/;

/**
 * One loaded tokenizer: @huggingface/tokenizers underneath, plus what gyro needs on top
 * (special-token table, ordinary ids for the random fallback, a memo of whitespace-separated
 * chunks that makes repeated words cost one map lookup, decode that stops at [SEP]).
 */
export class GyroTokenizer {
  /** Where it came from: 'bert-base-uncased' or the tokenizer.json path. */
  readonly name: string;
  /** Number of ids (the largest id + 1, added tokens included). */
  readonly vocabSize: number;
  /** Ids that are neither special nor `[unused…]`: what the random fallback may emit. */
  readonly ordinaryIds: Uint32Array;
  /** The id that ends a document (`[SEP]`), or -1 when the vocabulary has none. */
  readonly sepId: number;
  private readonly hf: Tokenizer;
  private readonly special: Uint8Array;
  /** Ids the post-processor puts before a sequence (`[CLS]`) and after it (`[SEP]`). */
  readonly prefixIds: readonly number[];
  readonly suffixIds: readonly number[];
  private readonly chunks: ChunkMemo | undefined;
  private readonly ascii: AsciiWordPiece | undefined;

  constructor(name: string, json: TokenizerJson, config: TokenizerConfig) {
    this.name = name;
    this.hf = new Tokenizer(json, config);
    const vocab = this.hf.model!.vocab as Array<string | undefined>;
    this.vocabSize = vocab.length;
    this.special = new Uint8Array(this.vocabSize);
    for (const t of json.added_tokens ?? []) if (t.special && t.id < this.vocabSize) this.special[t.id] = 1;
    const ordinary: number[] = [];
    for (let id = 0; id < this.vocabSize; id++) {
      const token = vocab[id];
      if (token !== undefined && !this.special[id] && !UNUSED.test(token)) ordinary.push(id);
    }
    this.ordinaryIds = Uint32Array.from(ordinary);
    const sepToken = typeof config.sep_token === 'string' ? config.sep_token : '[SEP]';
    this.sepId = this.hf.token_to_id(sepToken) ?? -1;
    [this.prefixIds, this.suffixIds] = this.specialsAround();
    this.chunks = isChunkLocal(json) ? new ChunkMemo() : undefined;
    this.ascii = this.chunks ? this.asciiFastPath(json) : undefined;
  }

  /**
   * Whether the pipeline is BERT's, where ids never depend on text across an ASCII space, tab,
   * CR or LF (so long texts may be cut there and encoded in pieces; see chunks.ts).
   */
  get chunkLocal(): boolean {
    return this.chunks !== undefined;
  }

  /** Token ids with the post-processor's specials: `[CLS] … [SEP]` for BERT. */
  encode(text: string): number[] {
    const out: number[] = [];
    this.appendPiece(text, true, true, out);
    return out;
  }

  /** Token ids of the text alone, no `[CLS]`/`[SEP]`. */
  encodeWithoutSpecials(text: string): number[] {
    const out: number[] = [];
    this.appendIds(text, out);
    return out;
  }

  /**
   * Append the ids of one piece of a document to `out`: the prefix specials when it is the
   * document's first piece, the suffix specials when it is the last. A long document encoded
   * piece by piece, cut at ASCII whitespace, gives the ids of `encode(document)`.
   */
  appendPiece(text: string, first: boolean, last: boolean, out: number[], start = 0, end = text.length): void {
    if (first) for (const id of this.prefixIds) out.push(id);
    this.appendIds(text, out, start, end);
    if (last) for (const id of this.suffixIds) out.push(id);
  }

  /**
   * Append the ids of `text` (no specials) to `out`. For BERT-style pipelines the text is cut
   * at ASCII whitespace and each chunk is encoded once and remembered (see chunks.ts for why
   * that gives the library's exact ids); other pipelines go straight to the library.
   * `start`/`end` select a range of `text` without slicing it.
   */
  appendIds(text: string, out: number[], start = 0, end = text.length): void {
    const cache = this.chunks;
    if (cache === undefined) {
      const part = start === 0 && end === text.length ? text : text.slice(start, end);
      if (part.length > 0) for (const id of this.hf.encode(part, { add_special_tokens: false }).ids) out.push(id);
      return;
    }
    cache.appendIds(text, out, this.encodeChunk, start, end);
  }

  /** A chunk the memo has not seen: the ASCII fast path, else the library. */
  private readonly encodeChunk = (chunk: string): readonly number[] =>
    this.ascii?.encodeChunk(chunk) ?? this.hf.encode(chunk, { add_special_tokens: false }).ids;

  /**
   * Text of a token sequence: stops at the first `[SEP]`, skips special tokens (so also
   * `[CLS]` and `[UNK]`), joins `##` continuations and applies BERT's clean-up of spaces
   * before punctuation. Ids outside the vocabulary read as `[UNK]`, i.e. are skipped.
   */
  decode(ids: ArrayLike<number>): string {
    const kept: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === this.sepId) break;
      if (!this.isSpecial(id)) kept.push(id);
    }
    return kept.length === 0 ? '' : this.hf.decode(kept, { skip_special_tokens: true });
  }

  /**
   * What `decode(encode(text))` gives for text with no special-token names in it: BERT's
   * normalisation (clean-up of control characters, spaces around CJK ideographs, lower case,
   * accents stripped), the words and punctuation marks of the pre-tokenizer joined by single
   * spaces, words WordPiece cannot spell (`[UNK]`) left out, then the clean-up of spaces
   * before `. , ! ?` and around apostrophes.
   */
  normalize(text: string): string {
    const hf = this.hf;
    const normalized = hf.normalizer ? hf.normalizer(text) : text;
    const words: string[] = hf.pre_tokenizer ? hf.pre_tokenizer(normalized) : [normalized];
    const unk = (hf.model as unknown as { unk_token?: string }).unk_token;
    const kept = words.filter((w) => !hf.model!([w]).includes(unk as string));
    return cleanUpTokenization(kept.join(' '));
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  /** Whether `id` is a special token (`[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]` for BERT). */
  isSpecial(id: number): boolean {
    return this.special[id] === 1;
  }

  /** The plain-ASCII fast path for a WordPiece model behind a BertNormalizer (see ascii-fast-path.ts). */
  private asciiFastPath(json: TokenizerJson): AsciiWordPiece | undefined {
    const model = json.model as { unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
    const normalizer = json.normalizer as { lowercase?: boolean };
    const vocab = (this.hf.model as unknown as { tokens_to_ids: Map<string, number> }).tokens_to_ids;
    const unkId = model.unk_token === undefined ? undefined : vocab.get(model.unk_token);
    if (unkId === undefined) return undefined;
    return new AsciiWordPiece({
      vocab,
      unkId,
      prefix: model.continuing_subword_prefix ?? '##',
      maxChars: model.max_input_chars_per_word ?? 100,
      lowercase: normalizer.lowercase === true,
      addedTokens: (json.added_tokens ?? []).map((t) => t.content),
    });
  }

  /** The ids the post-processor puts before and after a sequence, found by encoding a probe. */
  private specialsAround(): [number[], number[]] {
    const probe = 'a';
    const full: number[] = this.hf.encode(probe).ids;
    const bare: number[] = this.hf.encode(probe, { add_special_tokens: false }).ids;
    for (let k = 0; k + bare.length <= full.length; k++) {
      if (bare.every((id, j) => full[k + j] === id)) return [full.slice(0, k), full.slice(k + bare.length)];
    }
    return [[], []];
  }
}

/** BERT's clean_up_tokenization_spaces (as in transformers and the Rust decoder). */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
