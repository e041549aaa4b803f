import { getTokenizer } from './bert/load.js';
import type { GyroTokenizer } from './bert/GyroTokenizer.js';
import { bytesToIds, idsToBytes } from './wire/codec.js';

/** Text → masked wire bytes: encode with `[CLS] … [SEP]`, LEB128 each id, XOR 0xAA (SPEC §3). */
export function textToBytes(text: string, tokenizer: GyroTokenizer = getTokenizer()): Uint8Array {
  return idsToBytes(tokenizer.encode(text));
}

/** Masked wire bytes → text (strict decoding, then decode up to the first `[SEP]`). */
export function bytesToText(bytes: Uint8Array, tokenizer: GyroTokenizer = getTokenizer()): string {
  return tokenizer.decode(bytesToIds(bytes));
}
