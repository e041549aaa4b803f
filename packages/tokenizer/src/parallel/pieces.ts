import type { GyroTokenizer } from '../bert/GyroTokenizer.js';
import { idsToBytes } from '../wire/codec.js';

/**
 * A piece of a document. Long documents arrive in several pieces (cut at whitespace); the
 * first carries the `[CLS]`, the last the `[SEP]`. A short document is one piece with both.
 */
export interface DocumentPiece {
  text: string;
  first: boolean;
  last: boolean;
}

export interface EncodedBatch {
  /** Masked wire bytes of every piece, in order. */
  bytes: Uint8Array;
  tokens: number;
  /** Documents completed in this batch (pieces with `last`). */
  documents: number;
}

/** Encode a batch of pieces into one block of tape bytes (the same code runs in workers). */
export function encodePieces(tokenizer: GyroTokenizer, pieces: readonly DocumentPiece[]): EncodedBatch {
  const ids: number[] = [];
  let documents = 0;
  for (const piece of pieces) {
    tokenizer.appendPiece(piece.text, piece.first, piece.last, ids);
    if (piece.last) documents++;
  }
  return { bytes: idsToBytes(ids), tokens: ids.length, documents };
}
