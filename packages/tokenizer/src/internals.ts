/**
 * Building blocks of @gyro/tokenizer: the vocabulary conversion and the tokenizer.json built in
 * code, the file-read counter of the memoised loader, raw (unmasked) LEB128, the in-place mask
 * and the single-thread piece encoder. For this workspace's tests and tools; no stability
 * promise (the root entry is the package's API).
 */
export { tokenizerFileReads } from './bert/load.js';
export { convertBertTokenizerVocab, loadBertVocabulary, BERT_VOCAB_SIZE } from './bert/vocabulary.js';
export { bertUncasedDefinition, BERT_UNCASED_CONFIG } from './bert/definition.js';
export { maskInPlace } from './wire/mask.js';
export { leb128Encode, leb128Length, MAX_LEB128_BYTES } from './wire/leb128.js';
export { encodePieces } from './parallel/pieces.js';
