/**
 * Incremental text of a growing token sequence for streaming. BERT's decode cleans up spaces
 * before punctuation and around apostrophes, which can change the last few characters when the
 * next tokens arrive ("don '" becomes "don't"); so the tail is held back until it has settled
 * and only text that can no longer change is sent.
 */
export class StreamText {
  private readonly ids: number[] = [];
  private sent = '';

  constructor(
    private readonly decode: (ids: number[]) => string,
    /** Characters held back: enough for the longest clean-up pattern (" n't" after " ' "). */
    private readonly holdBack = 8,
  ) {}

  /** Add one token; returns the newly settled text ('' when nothing settled yet). */
  push(id: number): string {
    this.ids.push(id);
    const text = this.decode(this.ids);
    const settled = text.length - this.holdBack;
    if (settled <= this.sent.length || !text.startsWith(this.sent)) return '';
    const delta = text.slice(this.sent.length, settled);
    this.sent += delta;
    return delta;
  }

  /**
   * The rest, given the final text of the reply. The concatenation of every delta equals
   * `final` whenever the sent part is a prefix of it (always, for BERT's clean-up rules).
   */
  finish(final: string): string {
    if (!final.startsWith(this.sent)) return '';
    const rest = final.slice(this.sent.length);
    this.sent = final;
    return rest;
  }
}
