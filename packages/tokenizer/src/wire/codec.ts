import { assertTokenId, leb128Encode, leb128Length } from './leb128.js';
import { MASK_BYTE } from './mask.js';
import { TokenDecoder, strictSink } from './token-decoder.js';

/** Token ids → masked wire bytes (LEB128 each, XOR 0xAA). Throws InvalidTokenIdError on a bad id. */
export function idsToBytes(ids: ArrayLike<number>): Uint8Array {
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    assertTokenId(id);
    total += leb128Length(id);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < ids.length; i++) at += leb128Encode(ids[i]!, out, at);
  for (let k = 0; k < total; k++) out[k] = out[k]! ^ MASK_BYTE;
  return out;
}

/**
 * Masked wire bytes → token ids, strictly: the first malformed token (over 5 bytes, id ≥ 2^32,
 * or cut off by the end) throws MalformedTokenError with its byte offset. `source` (a file
 * name) goes into the message.
 */
export function bytesToIds(bytes: Uint8Array, source?: string): number[] {
  const ids: number[] = [];
  const decoder = new TokenDecoder(strictSink((id) => ids.push(id), source));
  decoder.push(bytes);
  decoder.finish();
  return ids;
}
