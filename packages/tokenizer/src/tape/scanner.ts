import type { MalformedReason } from '../errors.js';
import { SEP_ID } from '../ids.js';
import { TokenDecoder } from '../wire/token-decoder.js';

export interface MalformedSpot {
  offset: number;
  length: number;
  reason: MalformedReason;
}

export interface TapeStats {
  /** Size of the tape in bytes. */
  bytes: number;
  /** Well-formed tokens (specials included). */
  tokens: number;
  /** Documents: runs of tokens ending in `[SEP]`, plus a last run left without one. */
  documents: number;
  /** Malformed tokens (dropped). */
  malformed: number;
  /** Where the first malformed tokens are (at most `keepMalformed` of them). */
  malformedAt: MalformedSpot[];
}

export interface TapeScannerOptions {
  /** The id that ends a document (default `[SEP]` = 102). */
  sepId?: number;
  /** Receives each document's ids, `[SEP]` included, in order (omit to only count). */
  onDocument?: (ids: number[]) => void;
  /** Called for every malformed token as it is found. */
  onMalformed?: (spot: MalformedSpot) => void;
  /** How many malformed spots `malformedAt` keeps (default 100). */
  keepMalformed?: number;
}

/**
 * Reads a tape (masked LEB128 token stream) in pieces of any size: counts bytes, tokens,
 * documents and malformed tokens, and hands out documents. Malformed tokens are dropped and
 * reported with their byte offset, as the engine does; reading carries on after them.
 */
export class TapeScanner {
  private readonly decoder: TokenDecoder;
  private readonly stats: TapeStats = { bytes: 0, tokens: 0, documents: 0, malformed: 0, malformedAt: [] };
  private readonly onDocument: ((ids: number[]) => void) | undefined;
  private current: number[] = [];
  private openDocument = false;

  constructor(options: TapeScannerOptions = {}) {
    const sepId = options.sepId ?? SEP_ID;
    const keep = options.keepMalformed ?? 100;
    const { onDocument, onMalformed } = options;
    this.onDocument = onDocument;
    const stats = this.stats;
    this.decoder = new TokenDecoder({
      token: (id) => {
        stats.tokens++;
        if (onDocument) this.current.push(id);
        this.openDocument = id !== sepId;
        if (id === sepId) {
          stats.documents++;
          if (onDocument) {
            onDocument(this.current);
            this.current = [];
          }
        }
      },
      malformed: (reason, offset, length) => {
        stats.malformed++;
        const spot = { offset, length, reason };
        if (stats.malformedAt.length < keep) stats.malformedAt.push(spot);
        onMalformed?.(spot);
      },
    });
  }

  push(bytes: Uint8Array): void {
    this.stats.bytes += bytes.length;
    this.decoder.push(bytes);
  }

  /** End of the tape: reports a truncated last token, closes a last document without `[SEP]`. */
  finish(): TapeStats {
    this.decoder.finish();
    if (this.openDocument) {
      this.stats.documents++;
      this.onDocument?.(this.current);
      this.current = [];
      this.openDocument = false;
    }
    return this.stats;
  }
}

/** Statistics of a whole tape held in memory. */
export function tapeStats(bytes: Uint8Array, options: Omit<TapeScannerOptions, 'onDocument'> = {}): TapeStats {
  const scanner = new TapeScanner(options);
  scanner.push(bytes);
  return scanner.finish();
}
