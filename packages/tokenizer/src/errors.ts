import { GyroError } from '@gyro/information';

/** Every error code of @gyro/tokenizer (each is in the README; `src/errors.test.ts` checks). */
export const TokenizerErrorCodes = {
  MALFORMED_TOKEN: 'MALFORMED_TOKEN',
  INVALID_TOKEN_ID: 'INVALID_TOKEN_ID',
  TOKENIZER_LOAD: 'TOKENIZER_LOAD',
  ENCODE_WORKER: 'ENCODE_WORKER',
} as const;
export type TokenizerErrorCode = keyof typeof TokenizerErrorCodes;

/** Base of the errors of @gyro/tokenizer. */
export class TokenizerError extends GyroError<TokenizerErrorCode> {}

/** Why a byte stream does not decode into token ids (SPEC §3). */
export type MalformedReason = 'overlong' | 'id-too-large' | 'truncated';

const REASON_TEXT: Record<MalformedReason, string> = {
  overlong: 'more than 5 LEB128 bytes in one token',
  'id-too-large': 'token id is 2^32 or more',
  truncated: 'the stream ends in the middle of a token',
};

/**
 * A malformed token in a masked byte stream. `offset` is the byte offset where the bad token
 * starts; `length` the number of bytes it spans (up to and including the byte that revealed
 * the fault, or to the end of the stream).
 */
export class MalformedTokenError extends TokenizerError {
  readonly offset: number;
  readonly length: number;
  readonly reason: MalformedReason;
  constructor(reason: MalformedReason, offset: number, length: number, source?: string) {
    super(
      'MALFORMED_TOKEN',
      `malformed token at byte ${offset}${source ? ` of ${source}` : ''}: ${REASON_TEXT[reason]}`,
      'the bytes are not a tape written by gyro (LEB128 token ids masked with 0xAA); re-create it with `gyro tape compile`',
    );
    this.offset = offset;
    this.length = length;
    this.reason = reason;
  }
}

/** A value that cannot be a token id (negative, fractional, NaN, or 2^32 and above). */
export class InvalidTokenIdError extends TokenizerError {
  readonly id: number;
  constructor(id: number) {
    super('INVALID_TOKEN_ID', `${id} is not a token id`, 'token ids are integers in [0, 2^32)');
    this.id = id;
  }
}

/** A tokenizer name or tokenizer.json path that cannot be loaded. */
export class TokenizerLoadError extends TokenizerError {
  constructor(what: string, why: string, hint?: string, options?: { cause?: unknown }) {
    super('TOKENIZER_LOAD', `cannot load tokenizer ${what}: ${why}`, hint ?? "use 'bert-base-uncased' or the path of a Hugging Face tokenizer.json", options);
  }
}

/** A failure inside an encoding worker of EncodePool (`cause`: the worker's error, revived). */
export class EncodeWorkerError extends TokenizerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENCODE_WORKER', `tape encoding worker failed: ${message}`, 'run again with --jobs 1 to encode in the main thread', options);
  }
}
