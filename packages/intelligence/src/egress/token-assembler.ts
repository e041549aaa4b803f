import { InvalidArgumentError } from '../errors.js';
/**
 * Bytes → tokens (SPEC §3, §6.1). Introns arrive one at a time; an intron with bit 7 clear ends
 * a token. The assembler keeps only integers — the token's length so far, its value, and the
 * state before its first intron (whatever integer the caller names states by; the engine uses
 * the state's 24-bit half) — so both egress paths share it without allocating.
 *
 * `push` answers with the completed token id (≥ 0) or one of the negative codes below. A token
 * longer than 5 LEB128 bytes or with an id ≥ 2^32 is malformed: dropped, while the state has
 * moved on with every byte. A buffer that reaches `maxBytes` without a terminator is discarded
 * (oversize) and the next intron starts a new token.
 */
export const TOKEN_PENDING = -1;
export const TOKEN_MALFORMED = -2;
export const TOKEN_OVERSIZE = -3;

/** Largest LEB128 length of a token id below 2^32. */
export const MAX_TOKEN_LEB128_BYTES = 5;
const ID_LIMIT = 2 ** 32;
/** 128^k, so the id is accumulated in exact doubles (a 5-byte value can exceed 2^32). */
const POW7 = [1, 128, 16384, 2097152, 268435456];

export class TokenAssembler {
  /** Introns in the current (unfinished) token. */
  length = 0;
  /** Value accumulated from the first five groups of the current token. */
  private value = 0;
  /** State before the current token's first intron. */
  private startState = 0;
  /** State before the first intron of the token that completed last. */
  completedPreState = 0;

  constructor(readonly maxBytes = 1024) {
    if (!Number.isInteger(maxBytes) || maxBytes < MAX_TOKEN_LEB128_BYTES + 1) {
      throw new InvalidArgumentError(`maxTokenBytes must be an integer > ${MAX_TOKEN_LEB128_BYTES}, got ${maxBytes}`);
    }
  }

  /** Feed one intron; `stateBefore` names the state before this intron moved it. */
  push(intron: number, stateBefore: number): number {
    const len = this.length;
    if (len === 0) this.startState = stateBefore;
    if (len < MAX_TOKEN_LEB128_BYTES) this.value += (intron & 0x7f) * POW7[len]!;
    if ((intron & 0x80) === 0) {
      const id = this.value;
      this.completedPreState = this.startState;
      this.length = 0;
      this.value = 0;
      return len >= MAX_TOKEN_LEB128_BYTES || id >= ID_LIMIT ? TOKEN_MALFORMED : id;
    }
    if (len + 1 >= this.maxBytes) {
      this.length = 0;
      this.value = 0;
      return TOKEN_OVERSIZE;
    }
    this.length = len + 1;
    return TOKEN_PENDING;
  }

  /** The partial token as four numbers (length, value, start state, last completed pre-state), for session state. */
  snapshot(): [number, number, number, number] {
    return [this.length, this.value, this.startState, this.completedPreState];
  }

  restore(s: readonly [number, number, number, number]): void {
    [this.length, this.value, this.startState, this.completedPreState] = s;
  }

  /** Forget any partial token (a new stream starts). */
  reset(): void {
    this.length = 0;
    this.value = 0;
  }
}
