import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenizerConfig, TokenizerJson } from './definition.js';
import { AsciiWordPiece } from './ascii-fast-path.js';
import { ChunkMemo, isChunkLocal } from './chunks.js';
import type { IdSink } from '../wire/id-list.js';

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
  private readonly json: TokenizerJson;
  private readonly config: TokenizerConfig;
  private library: Tokenizer | undefined;
  private readonly idsByToken: Map<string, number>;
  private readonly tokensById: Array<string | undefined>;
  private readonly special: Uint8Array;
  /** Ids the post-processor puts before a sequence (`[CLS]`) and after it (`[SEP]`). */
  readonly prefixIds: readonly number[];
  readonly suffixIds: readonly number[];
  private readonly chunks: ChunkMemo | undefined;
  private readonly ascii: AsciiWordPiece | undefined;

  /**
   * `vocabById` (token of each id) may be given when the caller has it already (the built-in
   * BERT vocabulary); otherwise it is read from a WordPiece model's vocab object, or from the
   * library for other models. The library's Tokenizer itself is built on first need: plain
   * ASCII text in a BERT pipeline never needs it (see ascii-fast-path.ts).
   */
  constructor(name: string, json: TokenizerJson, config: TokenizerConfig, vocabById?: readonly string[]) {
    this.name = name;
    this.json = json;
    this.config = config;
    [this.idsByToken, this.tokensById] = this.tokenTables(vocabById);
    this.vocabSize = this.tokensById.length;
    this.special = new Uint8Array(this.vocabSize);
    for (const t of json.added_tokens ?? []) if (t.special && t.id < this.vocabSize) this.special[t.id] = 1;
    const ordinary: number[] = [];
    for (let id = 0; id < this.vocabSize; id++) {
      const token = this.tokensById[id];
      if (token !== undefined && !this.special[id] && !UNUSED.test(token)) ordinary.push(id);
    }
    this.ordinaryIds = Uint32Array.from(ordinary);
    const sepToken = typeof config.sep_token === 'string' ? config.sep_token : '[SEP]';
    this.sepId = this.idsByToken.get(sepToken) ?? -1;
    [this.prefixIds, this.suffixIds] = this.specialsAround();
    this.chunks = isChunkLocal(json) ? new ChunkMemo() : undefined;
    this.ascii = this.chunks ? this.asciiFastPath(json) : undefined;
  }

  /**
   * Build the library's tokenizer now rather than on first need (first `decode`, `normalize` or
   * non-ASCII chunk, ≈ 0.1–0.2 s): for servers that pay every start-up cost before they listen.
   */
  prepare(): this {
    void this.hf;
    return this;
  }

  /** The library's tokenizer, built on first use. */
  private get hf(): Tokenizer {
    return (this.library ??= new Tokenizer(this.json, this.config));
  }

  /**
   * token → id and id → token as the library's model holds them: the model's vocabulary, then
   * every added token set over it.
   */
  private tokenTables(vocabById?: readonly string[]): [Map<string, number>, Array<string | undefined>] {
    const model = this.json.model;
    const vocabObject = vocabById === undefined && model.type === 'WordPiece' ? model.vocab : undefined;
    let byToken: Map<string, number>;
    let byId: Array<string | undefined>;
    if (vocabById !== undefined) {
      byToken = new Map(vocabById.map((token, id) => [token, id]));
      byId = vocabById.slice();
    } else if (vocabObject && typeof vocabObject === 'object' && !Array.isArray(vocabObject)) {
      byToken = new Map(Object.entries(vocabObject as Record<string, number>));
      byId = [];
      for (const [token, id] of byToken) byId[id] = token;
    } else {
      const hfModel = this.hf.model as unknown as { tokens_to_ids: Map<string, number>; vocab: Array<string | undefined> };
      return [hfModel.tokens_to_ids, hfModel.vocab];
    }
    for (const t of this.json.added_tokens ?? []) {
      byToken.set(t.content, t.id);
      byId[t.id] = t.content;
    }
    return [byToken, byId];
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
  appendPiece(text: string, first: boolean, last: boolean, out: IdSink, start = 0, end = text.length): void {
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
  appendIds(text: string, out: IdSink, start = 0, end = text.length): void {
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
    return this.tokensById[id];
  }

  tokenToId(token: string): number | undefined {
    return this.idsByToken.get(token);
  }

  /** Whether `id` is a special token (`[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]` for BERT). */
  isSpecial(id: number): boolean {
    return this.special[id] === 1;
  }

  /** The plain-ASCII fast path for a WordPiece model behind a BertNormalizer (see ascii-fast-path.ts). */
  private asciiFastPath(json: TokenizerJson): AsciiWordPiece | undefined {
    const model = json.model as { unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
    const normalizer = json.normalizer as { lowercase?: boolean };
    const vocab = this.idsByToken;
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

  /**
   * The ids the post-processor puts before and after a sequence. A TemplateProcessing `single`
   * template is read directly (its special tokens are names, looked up as the library does);
   * any other post-processor is asked, by encoding a probe with and without specials.
   */
  private specialsAround(): [number[], number[]] {
    const post = this.json.post_processor as { type?: string; single?: Array<{ SpecialToken?: { id: string }; Sequence?: { id: string } }> } | null | undefined;
    if (post === null || post === undefined) return [[], []];
    if (post.type === 'TemplateProcessing' && Array.isArray(post.single)) {
      const before: number[] = [];
      const after: number[] = [];
      let seen = false;
      for (const item of post.single) {
        if (item.Sequence?.id === 'A') seen = true;
        else if (item.SpecialToken) (seen ? after : before).push(this.idsByToken.get(item.SpecialToken.id) ?? this.unkId());
      }
      if (seen) return [before, after];
    }
    const probe = 'a';
    const full: number[] = this.hf.encode(probe).ids;
    const bare: number[] = this.hf.encode(probe, { add_special_tokens: false }).ids;
    for (let k = 0; k + bare.length <= full.length; k++) {
      if (bare.every((id, j) => full[k + j] === id)) return [full.slice(0, k), full.slice(k + bare.length)];
    }
    return [[], []];
  }

  private unkId(): number {
    const unk = (this.json.model as { unk_token?: string }).unk_token;
    return (unk === undefined ? undefined : this.idsByToken.get(unk)) ?? -1;
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
