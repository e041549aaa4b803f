import type { GyroTokenizer } from '../bert/GyroTokenizer.js';
import { idsToBytes } from '../wire/codec.js';
import { IdList } from '../wire/id-list.js';

/**
 * A piece of a document. Long documents arrive in several pieces (cut at whitespace); the
 * first carries the `[CLS]`, the last the `[SEP]`. A short document is one piece with both.
 */
export interface DocumentPiece {
  text: string;
  first: boolean;
  last: boolean;
}

/**
 * Pieces packed for a worker: one string and two typed arrays (cheap to post: no object per
 * piece to clone). Piece k is text[ends[k-1] .. ends[k]) with flags bit 0 = first, bit 1 = last.
 */
export interface PieceBatch {
  text: string;
  ends: Uint32Array;
  flags: Uint8Array;
}

export interface EncodedBatch {
  /** Masked wire bytes of every piece, in order. */
  bytes: Uint8Array;
  tokens: number;
  /** Documents completed in this batch (pieces with `last`). */
  documents: number;
}

const FIRST = 1;
const LAST = 2;

/** Collects pieces into a PieceBatch. */
export class PieceBatchBuilder {
  private parts: string[] = [];
  private ends: number[] = [];
  private flags: number[] = [];
  /** Text collected so far (UTF-16 units). */
  length = 0;

  get pieces(): number {
    return this.ends.length;
  }

  add(piece: DocumentPiece): void {
    this.parts.push(piece.text);
    this.length += piece.text.length;
    this.ends.push(this.length);
    this.flags.push((piece.first ? FIRST : 0) | (piece.last ? LAST : 0));
  }

  /** The batch so far; the builder starts empty again. */
  take(): PieceBatch {
    const batch = { text: this.parts.join(''), ends: Uint32Array.from(this.ends), flags: Uint8Array.from(this.flags) };
    this.parts = [];
    this.ends = [];
    this.flags = [];
    this.length = 0;
    return batch;
  }
}

/** One id list per thread, reused by every batch (encodeBatch is synchronous, so never shared). */
const scratch = new IdList(1 << 16);

/** Encode a batch into one block of tape bytes (the same code runs in the workers). */
export function encodeBatch(tokenizer: GyroTokenizer, batch: PieceBatch): EncodedBatch {
  const ids = scratch;
  ids.clear();
  let documents = 0;
  let start = 0;
  for (let k = 0; k < batch.ends.length; k++) {
    const end = batch.ends[k]!;
    const flags = batch.flags[k]!;
    tokenizer.appendPiece(batch.text, (flags & FIRST) !== 0, (flags & LAST) !== 0, ids, start, end);
    if (flags & LAST) documents++;
    start = end;
  }
  return { bytes: idsToBytes(ids.view()), tokens: ids.length, documents };
}

/** Encode pieces given one by one (convenience over PieceBatchBuilder + encodeBatch). */
export function encodePieces(tokenizer: GyroTokenizer, pieces: readonly DocumentPiece[]): EncodedBatch {
  const builder = new PieceBatchBuilder();
  for (const piece of pieces) builder.add(piece);
  return encodeBatch(tokenizer, builder.take());
}
