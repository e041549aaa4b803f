import { InvalidTokenIdError } from '../errors.js';
import { MAX_TOKEN_ID } from '../ids.js';

/** A token id never needs more than 5 LEB128 bytes (35 bits ≥ 32). */
export const MAX_LEB128_BYTES = 5;

/** Throw unless `id` is an integer in [0, 2^32). */
export function assertTokenId(id: number): void {
  if (!(Number.isInteger(id) && id >= 0 && id <= MAX_TOKEN_ID)) throw new InvalidTokenIdError(id);
}

/** Number of unsigned LEB128 bytes of `id` (1..5). */
export function leb128Length(id: number): number {
  if (id < 0x80) return 1;
  if (id < 0x4000) return 2;
  if (id < 0x20_0000) return 3;
  if (id < 0x1000_0000) return 4;
  return 5;
}

/**
 * Write `id` as unsigned LEB128 (7 bits per byte, low group first, bit 7 set on every byte
 * but the last) into `out` at `offset`, unmasked. Returns the number of bytes written.
 * Division instead of `>>>` keeps ids ≥ 2^31 exact.
 */
export function leb128Encode(id: number, out: Uint8Array, offset: number): number {
  assertTokenId(id);
  let value = id;
  let n = 0;
  while (value >= 0x80) {
    out[offset + n++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[offset + n++] = value;
  return n;
}
