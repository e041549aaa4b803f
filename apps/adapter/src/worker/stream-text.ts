/**
 * Incremental text of a growing token sequence, for streaming, at O(1) amortised cost per token.
 *
 * WordPiece decoding is "join the pieces (a `##` piece glues to the previous one, any other piece
 * follows a space), then clean up spaces before punctuation and around apostrophes". The join is
 * kept as raw text; the clean-up, which can change the last few characters when the next tokens
 * arrive ("don '" becomes "don't"), is applied to the unsettled tail only, and that tail is held
 * back until no rule can reach it any more. The clean-up rules only ever match within a space
 * followed by up to three characters, so at a space between two letters or digits the text can be
 * cut, each side cleaned alone, and the results joined: settled text moves into a finished prefix.
 *
 * This is also the one place the reply text is made, streamed or not (`replyText`), so the
 * concatenated deltas equal the plain reply by construction. It differs from the tokenizer's
 * decode in one decision: a reply whose first piece is a continuation (`##ing`) shows it without
 * the `##` ("ing"), as it would read after a previous word; decode keeps "##ing", which no reader
 * wants and which the stream, joining pieces as they come, never produced.
 */
export interface PieceDecoder {
  /** The piece of an id as it appears in text ("##ing" included), or null for ids decoding skips. */
  piece(id: number): string | null;
  /** True for the id that ends decoding ([SEP]). */
  isStop(id: number): boolean;
  /** The tokenizer's clean-up of spaces (BERT's clean_up_tokenization). */
  cleanup(text: string): string;
  /** The vocabulary string of any id, special ones included ("[SEP]"): logprobs name tokens by it. */
  tokenString(id: number): string;
}

const ALNUM = /[\p{L}\p{N}]/u;

export class StreamText {
  /** Finished text, the clean-up of everything before `raw`, in chunks (never re-copied). */
  private readonly done: string[] = [];
  private doneLength = 0;
  /** Joined pieces after the finished part, not yet cleaned (starts with a space unless first). */
  private raw = '';
  /** Every delta returned so far, and their total length. */
  private readonly deltas: string[] = [];
  private sentLength = 0;
  private stopped = false;
  /** The cleaned text after what push has returned: may still change as tokens arrive. */
  private pending = '';

  constructor(
    private readonly decoder: PieceDecoder,
    /** Characters held back from the cleaned tail: more than the longest clean-up reach. */
    private readonly holdBack = 8,
    /** Move settled text into `done` once the raw tail is this long. */
    private readonly foldAt = 96,
  ) {}

  /** Add one token without settling any text (the plain reply: only `finish` is wanted); false when it adds nothing. */
  add(id: number): boolean {
    if (this.stopped) return false;
    if (this.decoder.isStop(id)) {
      this.stopped = true;
      return false;
    }
    const piece = this.decoder.piece(id);
    if (piece === null) return false;
    const empty = this.doneLength === 0 && this.raw.length === 0;
    // A `##` piece glues to the text before it; the first piece has none, so it simply starts the text.
    this.raw += piece.startsWith('##') ? piece.slice(2) : empty ? piece : ` ${piece}`;
    if (this.raw.length > this.foldAt) this.fold();
    return true;
  }

  /** Add one token; returns the newly settled text ('' when nothing settled yet). */
  push(id: number): string {
    if (!this.add(id)) return '';
    const tail = this.decoder.cleanup(this.raw);
    const settled = this.doneLength + tail.length - this.holdBack;
    if (settled <= this.sentLength) {
      this.pending = this.sentLength >= this.doneLength ? tail.slice(this.sentLength - this.doneLength) : this.done.join('').slice(this.sentLength) + tail;
      return '';
    }
    const from = this.sentLength - this.doneLength;
    // Normally everything folded was sent already; if not, the unsent end of `done` comes first.
    const delta =
      from >= 0 ? tail.slice(from, settled - this.doneLength) : this.done.join('').slice(this.sentLength) + tail.slice(0, settled - this.doneLength);
    this.deltas.push(delta);
    this.sentLength += delta.length;
    this.pending = tail.slice(this.sentLength - this.doneLength);
    return delta;
  }

  /** The text after everything push returned, as it reads now (the tail held back; it may still change). */
  get unsettled(): string {
    return this.pending;
  }

  /** Cut the raw tail at the last space between two letters/digits that leaves `holdBack`·4 characters after it. */
  private fold(): void {
    for (let c = this.raw.length - 4 * this.holdBack; c > 0; c--) {
      if (this.raw[c] === ' ' && ALNUM.test(this.raw[c - 1]!) && ALNUM.test(this.raw[c + 1] ?? '')) {
        const chunk = this.decoder.cleanup(this.raw.slice(0, c));
        this.done.push(chunk);
        this.doneLength += chunk.length;
        this.raw = this.raw.slice(c);
        return;
      }
    }
  }

  /**
   * The whole reply text and the part not sent yet. The deltas plus `rest` equal `text` whenever
   * nothing sent was changed by a later clean-up (the hold-back guarantees it for WordPiece's
   * rules); `consistent` says so, and a tokenizer with farther-reaching rules would show up there.
   */
  finish(): { text: string; rest: string; consistent: boolean } {
    const text = this.done.join('') + this.decoder.cleanup(this.raw);
    const sent = this.deltas.join('');
    if (!text.startsWith(sent)) return { text, rest: '', consistent: false };
    const rest = text.slice(sent.length);
    this.deltas.push(rest);
    this.sentLength = text.length;
    return { text, rest, consistent: true };
  }
}

/** The text of a reply's token ids, exactly as the stream of the same ids adds up to. */
export function replyText(decoder: PieceDecoder, ids: ArrayLike<number>): string {
  const s = new StreamText(decoder);
  for (let i = 0; i < ids.length; i++) s.add(ids[i]!);
  return s.finish().text;
}

/** The piece decoder of a GyroTokenizer-like object. */
export function pieceDecoder(
  tok: {
    idToToken(id: number): string | undefined;
    isSpecial(id: number): boolean;
    readonly sepId: number;
  },
  cleanup: (text: string) => string,
): PieceDecoder {
  return {
    piece: (id) => (tok.isSpecial(id) ? null : (tok.idToToken(id) ?? null)),
    isStop: (id) => id === tok.sepId,
    cleanup,
    tokenString: (id) => tok.idToToken(id) ?? '',
  };
}
