/**
 * A fast path for chunks of plain printable ASCII (0x21–0x7E), used when a chunk is not in the
 * memo yet. Profiling the library on English text showed where its time goes on such chunks:
 * the BertNormalizer tests every character against Unicode-property regexes and rebuilds the
 * string through arrays (clean_text, CJK padding, NFD + mark removal), the pre-tokenizer runs
 * a Unicode regex, and WordPiece re-joins code-point arrays for every candidate substring.
 * For plain ASCII all of that reduces to: lower-case A–Z (when the normaliser lower-cases),
 * cut before and after each ASCII punctuation mark, and greedy longest-match WordPiece — done
 * here on char codes, against the library's own vocabulary map. Anything else (non-ASCII,
 * control characters, a chunk containing an added token's name such as `[SEP]`) goes to the
 * library. Tests and the benchmark check that the ids equal the library's.
 */
export interface AsciiWordPieceOptions {
  /** The model's token → id map (the library's, added tokens included). */
  vocab: ReadonlyMap<string, number>;
  unkId: number;
  /** Continuation prefix, '##' for BERT. */
  prefix: string;
  /** Words longer than this become the unknown token (100 for BERT). */
  maxChars: number;
  lowercase: boolean;
  /** Names of added tokens; a chunk containing one is left to the library. */
  addedTokens: readonly string[];
}

/** ASCII punctuation as the BERT pre-tokenizer sees it: !"#$%&'()*+,-./ :;<=>?@ [\]^_` {|}~ */
function isAsciiPunctuation(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

export class AsciiWordPiece {
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly unkId: number;
  private readonly prefix: string;
  private readonly maxChars: number;
  private readonly lowercase: boolean;
  private readonly addedTokens: readonly string[];
  /** Longest vocabulary entry: no candidate substring longer than this can match. */
  private readonly maxPiece: number;

  constructor(options: AsciiWordPieceOptions) {
    this.vocab = options.vocab;
    this.unkId = options.unkId;
    this.prefix = options.prefix;
    this.maxChars = options.maxChars;
    this.lowercase = options.lowercase;
    this.addedTokens = options.addedTokens;
    let longest = 0;
    for (const token of options.vocab.keys()) longest = Math.max(longest, token.length);
    this.maxPiece = longest;
  }

  /** Ids of a chunk without whitespace, or undefined when it is not plain ASCII (use the library). */
  encodeChunk(chunk: string): number[] | undefined {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c < 0x21 || c > 0x7e) return undefined;
    }
    for (const name of this.addedTokens) if (chunk.includes(name)) return undefined;
    const text = this.lowercase ? chunk.toLowerCase() : chunk;
    const out: number[] = [];
    let start = 0;
    for (let i = 0; i < n; i++) {
      if (!isAsciiPunctuation(text.charCodeAt(i))) continue;
      if (i > start) this.encodeWord(text.slice(start, i), out);
      this.encodeWord(text[i]!, out);
      start = i + 1;
    }
    if (start < n) this.encodeWord(start === 0 ? text : text.slice(start), out);
    return out;
  }

  /** Greedy longest-match-first WordPiece, as the library does it (whole word → unknown on failure). */
  private encodeWord(word: string, out: number[]): void {
    const n = word.length;
    if (n > this.maxChars) {
      out.push(this.unkId);
      return;
    }
    const mark = out.length;
    let start = 0;
    while (start < n) {
      const room = start > 0 ? this.maxPiece - this.prefix.length : this.maxPiece;
      let end = Math.min(n, start + room);
      let id: number | undefined;
      for (; end > start; end--) {
        const piece = start > 0 ? this.prefix + word.slice(start, end) : word.slice(start, end);
        id = this.vocab.get(piece);
        if (id !== undefined) break;
      }
      if (id === undefined) {
        out.length = mark;
        out.push(this.unkId);
        return;
      }
      out.push(id);
      start = end;
    }
  }
}
