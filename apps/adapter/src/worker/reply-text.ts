import type { TokenLogprob } from '@gyro/intelligence';
import { StopStrings } from './stop-strings.js';
import { StreamText, type PieceDecoder } from './stream-text.js';
import type { WireLogprob } from './protocol.js';

/**
 * The text side of one reply in the worker: streamed deltas (StreamText), the request's stop
 * strings (StopStrings) and the logprobs of the tokens behind each delta, with token ids turned
 * into the strings a client sees. The reply's text is StreamText's (the one implementation, see
 * stream-text.ts), cut at the first stop string; the deltas sent plus `finish().rest` add up to it.
 */
export class ReplyText {
  private readonly text: StreamText;
  private readonly stops: StopStrings | undefined;
  private sent = '';
  private first = true;
  /** Logprobs of tokens not yet carried by a delta (streaming). */
  private unsentLogprobs: WireLogprob[] = [];

  constructor(
    private readonly pieces: PieceDecoder,
    stop: readonly string[],
    private readonly send: ((text: string, logprobs?: WireLogprob[]) => void) | undefined,
  ) {
    this.text = new StreamText(pieces);
    this.stops = stop.length ? new StopStrings(stop) : undefined;
  }

  /** True once a stop string was reached: the agent should end the reply. */
  get stopped(): boolean {
    return this.stops?.stopped ?? false;
  }

  /** One generated token (and its logprob record, when asked for). */
  push(id: number, logprob: TokenLogprob | undefined): void {
    if (logprob !== undefined) this.unsentLogprobs.push(this.wire(logprob));
    let delta = this.text.push(id);
    if (this.stops) delta = this.stops.push(delta, this.text.unsettled);
    if (delta) this.emit(delta);
  }

  /** Every logprob recorded (non-streaming replies take them all at the end). */
  takeLogprobs(): WireLogprob[] {
    const all = this.unsentLogprobs;
    this.unsentLogprobs = [];
    return all;
  }

  /** The reply's text (cut at a stop string) and what is left to send of it. */
  finish(): { text: string; rest: string; consistent: boolean } {
    const whole = this.text.finish().text;
    const text = this.stops ? this.stops.finalText(whole) : whole;
    if (!text.startsWith(this.sent)) return { text, rest: '', consistent: false };
    const rest = text.slice(this.sent.length);
    if (rest || this.unsentLogprobs.length) this.emit(rest);
    return { text, rest, consistent: true };
  }

  private emit(delta: string): void {
    this.sent += delta;
    if (!this.send) return;
    const lp = this.unsentLogprobs.length ? this.takeLogprobs() : undefined;
    this.send(delta, lp);
  }

  /** Token strings as joined into the text: a space before a word-initial piece (not the reply's first), none before `##`. */
  private wire(lp: TokenLogprob): WireLogprob {
    const first = this.first;
    this.first = false;
    const str = (id: number) => {
      const s = this.pieces.tokenString(id);
      return s.startsWith('##') ? s.slice(2) : first || this.pieces.piece(id) === null ? s : ` ${s}`;
    };
    return { id: lp.token, token: str(lp.token), logprob: lp.logprob, top: lp.top.map((t) => ({ id: t.token, token: str(t.token), logprob: t.logprob })) };
  }
}
