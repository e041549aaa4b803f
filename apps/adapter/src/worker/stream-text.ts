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
 */
export interface PieceDecoder {
  /** The piece of an id as it appears in text ("##ing" included), or null for ids decoding skips. */
  piece(id: number): string | null;
  /** True for the id that ends decoding ([SEP]). */
  isStop(id: number): boolean;
  /** The tokenizer's clean-up of spaces (BERT's clean_up_tokenization). */
  cleanup(text: string): string;
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

  constructor(
    private readonly decoder: PieceDecoder,
    /** Characters held back from the cleaned tail: more than the longest clean-up reach. */
    private readonly holdBack = 8,
    /** Move settled text into `done` once the raw tail is this long. */
    private readonly foldAt = 96,
  ) {}

  /** Add one token; returns the newly settled text ('' when nothing settled yet). */
  push(id: number): string {
    if (this.stopped) return '';
    if (this.decoder.isStop(id)) {
      this.stopped = true;
      return '';
    }
    const piece = this.decoder.piece(id);
    if (piece === null) return '';
    const empty = this.doneLength === 0 && this.raw.length === 0;
    this.raw += piece.startsWith('##') ? piece.slice(2) : empty ? piece : ` ${piece}`;
    if (this.raw.length > this.foldAt) this.fold();
    const tail = this.decoder.cleanup(this.raw);
    const settled = this.doneLength + tail.length - this.holdBack;
    if (settled <= this.sentLength) return '';
    const from = this.sentLength - this.doneLength;
    // Normally everything folded was sent already; if not, the unsent end of `done` comes first.
    const delta = from >= 0 ? tail.slice(from, settled - this.doneLength) : this.done.join('').slice(this.sentLength) + tail.slice(0, settled - this.doneLength);
    this.deltas.push(delta);
    this.sentLength += delta.length;
    return delta;
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
   * The rest, given the final text of the reply (the tokenizer's own decode). The concatenation
   * of every delta equals `final` whenever the sent part is a prefix of it; `consistent` says so.
   */
  finish(final: string): { rest: string; consistent: boolean } {
    const sent = this.deltas.join('');
    if (!final.startsWith(sent)) return { rest: '', consistent: false };
    const rest = final.slice(sent.length);
    this.deltas.push(rest);
    this.sentLength = final.length;
    return { rest, consistent: true };
  }
}

/** The piece decoder of a GyroTokenizer-like object. */
export function pieceDecoder(tok: {
  idToToken(id: number): string | undefined;
  isSpecial(id: number): boolean;
  readonly sepId: number;
}, cleanup: (text: string) => string): PieceDecoder {
  return {
    piece: (id) => (tok.isSpecial(id) ? null : (tok.idToToken(id) ?? null)),
    isStop: (id) => id === tok.sepId,
    cleanup,
  };
}
