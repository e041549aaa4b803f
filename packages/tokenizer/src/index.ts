// The root entry: the BERT tokenizer, the wire format (ids ↔ masked LEB128 bytes), tapes and
// parallel encoding. Building blocks (vocabulary conversion, the tokenizer.json built in code,
// raw LEB128, the mask) are in ./internals.ts (`@gyro/tokenizer/internals`), no stability promise.
export { PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID, MAX_TOKEN_ID } from './ids.js';
export {
  TokenizerError,
  TokenizerErrorCodes,
  type TokenizerErrorCode,
  MalformedTokenError,
  InvalidTokenIdError,
  TokenizerLoadError,
  EncodeWorkerError,
  type MalformedReason,
} from './errors.js';
export { GyroTokenizer, cleanUpTokenization } from './bert/GyroTokenizer.js';
export { getTokenizer, DEFAULT_TOKENIZER } from './bert/load.js';
export type { TokenizerJson, TokenizerConfig } from './bert/definition.js';
export { MASK_BYTE } from './wire/mask.js';
export { tokenBytes, tokenIntrons, SEP_BYTES } from './wire/token-bytes.js';
export { idsToBytes, bytesToIds } from './wire/codec.js';
export { IdList, type IdSink } from './wire/id-list.js';
export { TokenDecoder, type TokenSink } from './wire/token-decoder.js';
export { textToBytes, bytesToText } from './text-bytes.js';
export { writeTape, readTape, type TapeWriteReport } from './tape/tape-file.js';
export { TapeScanner, tapeStats, type TapeStats, type TapeScannerOptions, type MalformedSpot } from './tape/scanner.js';
export { encodeBatch, PieceBatchBuilder, type DocumentPiece, type PieceBatch, type EncodedBatch } from './parallel/pieces.js';
export { EncodePool, type EncodePoolOptions } from './parallel/EncodePool.js';
