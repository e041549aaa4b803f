/**
 * OpenAI's `stop`: the reply ends before the first occurrence of any stop string, and no part of
 * a stop string is ever streamed. Sits between StreamText (settled text) and the client:
 *
 * - settled text is released only up to the longest suffix that could still begin a stop
 *   string (that suffix is held until the next tokens decide it);
 * - after each token the held text plus the not-yet-settled tail is searched, so a stop string
 *   is found on the token that completes it, not a few tokens later when it settles.
 *
 * Text released before a position can never start a match (it was neither a match nor a
 * prefix of one, and settled text does not change), so the first match is always in the search
 * window. Work per token is bounded by the window (held + unsettled tail), not the reply.
 */
export class StopStrings {
  private held = '';
  private released = 0;
  /** Where the reply ends, once a stop string was found. */
  private cut: number | undefined;

  constructor(private readonly stops: readonly string[]) {}

  get stopped(): boolean {
    return this.cut !== undefined;
  }

  /**
   * Feed newly settled text and the current unsettled tail after it; returns the text safe to
   * release now. Once a stop string is found the reply ends there and `stopped` is true.
   */
  push(settled: string, unsettled: string): string {
    if (this.cut !== undefined) return '';
    this.held += settled;
    const window = this.held + unsettled;
    let first = -1;
    for (const s of this.stops) {
      const i = window.indexOf(s);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    if (first >= 0) {
      const out = window.slice(0, first);
      this.cut = this.released + first;
      this.released += out.length;
      this.held = '';
      return out;
    }
    const keep = this.partialSuffix(this.held);
    const out = this.held.slice(0, this.held.length - keep);
    this.held = this.held.slice(out.length);
    this.released += out.length;
    return out;
  }

  /** The final text of a reply that `text` decodes to: cut at the stop string when one was found. */
  finalText(text: string): string {
    return this.cut === undefined ? text : text.slice(0, this.cut);
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop string. */
  private partialSuffix(text: string): number {
    let best = 0;
    for (const s of this.stops) {
      for (let k = Math.min(s.length - 1, text.length); k > best; k--) {
        if (text.endsWith(s.slice(0, k))) {
          best = k;
          break;
        }
      }
    }
    return best;
  }
}
