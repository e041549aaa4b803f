import { MalformedTokenError, type MalformedReason } from '../errors.js';
import { MAX_LEB128_BYTES } from './leb128.js';
import { MASK_BYTE } from './mask.js';

/** 128^k: the weight of the k-th 7-bit group (exact doubles; no 32-bit overflow). */
const GROUP_WEIGHT: readonly number[] = [1, 128, 16_384, 2_097_152, 268_435_456];
/** The fifth group may only hold bits 28..31 of an id below 2^32. */
const MAX_FIFTH_GROUP = 0x0f;

export interface TokenSink {
  /** A complete token id; `start` is the stream offset of its first byte. */
  token(id: number, start: number): void;
  /** A malformed token starting at stream offset `start`, spanning `length` bytes. */
  malformed(reason: MalformedReason, start: number, length: number): void;
}

/**
 * Incremental LEB128 token reader over a byte stream that arrives in pieces. Bytes are
 * unmasked with `mask` (0xAA for wire bytes, 0 for introns). Offsets count from the first byte
 * ever pushed, so a report names the place in the whole stream.
 *
 * On a token longer than 5 bytes it reports `overlong` once, then skips the rest of that run of
 * continuation bytes (through its terminating byte) and carries on; an id ≥ 2^32 is reported
 * and dropped; `finish()` reports a token left open at the end as `truncated`.
 */
export class TokenDecoder {
  private value = 0;
  private count = 0;
  private start = 0;
  private skipping = false;
  private position = 0;

  constructor(
    private readonly sink: TokenSink,
    private readonly mask: number = MASK_BYTE,
  ) {}

  /** Stream offset of the next byte to be pushed. */
  get offset(): number {
    return this.position;
  }

  push(bytes: Uint8Array): void {
    const { sink, mask } = this;
    let { value, count, start, skipping } = this;
    const base = this.position;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]! ^ mask;
      if (skipping) {
        if (b < 0x80) skipping = false;
        continue;
      }
      if (count === 0) start = base + i;
      if (b < 0x80) {
        if (count === MAX_LEB128_BYTES - 1 && b > MAX_FIFTH_GROUP) {
          sink.malformed('id-too-large', start, MAX_LEB128_BYTES);
        } else {
          sink.token(value + b * GROUP_WEIGHT[count]!, start);
        }
        value = 0;
        count = 0;
      } else if (count === MAX_LEB128_BYTES - 1) {
        sink.malformed('overlong', start, MAX_LEB128_BYTES);
        value = 0;
        count = 0;
        skipping = true;
      } else {
        value += (b & 0x7f) * GROUP_WEIGHT[count]!;
        count++;
      }
    }
    this.value = value;
    this.count = count;
    this.start = start;
    this.skipping = skipping;
    this.position = base + bytes.length;
  }

  /**
   * End of stream: a token still open is reported as truncated (an overlong run cut off by the
   * end was already reported). The decoder can then take a new stream.
   */
  finish(): void {
    if (this.count > 0) this.sink.malformed('truncated', this.start, this.position - this.start);
    this.value = 0;
    this.count = 0;
    this.skipping = false;
  }
}

/** A sink that throws on the first malformed token (the strict decoders). */
export function strictSink(onToken: (id: number) => void, source?: string): TokenSink {
  return {
    token: onToken,
    malformed(reason, start, length) {
      throw new MalformedTokenError(reason, start, length, source);
    },
  };
}
