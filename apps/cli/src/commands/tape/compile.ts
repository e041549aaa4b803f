import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { EncodePool, PieceBatchBuilder, encodeBatch, getTokenizer, type EncodedBatch, type PieceBatch } from '@gyro/tokenizer';
import { Progress } from '../../lib/progress.js';
import { DocumentSplitter, type SplitMode } from './documents.js';
import { inputFiles, readInput } from './inputs.js';
import { Utf8Stream } from './utf8.js';

/** Text per batch sent to the encoder (UTF-16 units). */
const BATCH_CHARS = 256 * 1024;
/**
 * Inputs smaller than this are encoded in the main thread (starting workers, each loading the
 * tokenizer, costs more than it saves). Larger files start the workers at once; standard input,
 * of unknown size, starts them when this much text has arrived.
 */
const PARALLEL_MIN = 1 << 20;

export interface CompileOptions {
  output: string;
  split: SplitMode;
  force: boolean;
  /** Worker threads; 1 encodes in the main thread. Default: one per core. */
  jobs?: number;
  tokenizer: string;
  quiet?: boolean;
}

export interface CompileReport {
  documents: number;
  tokens: number;
  bytesIn: number;
  bytesOut: number;
  threads: number;
  seconds: number;
}

/**
 * Compile text files into one tape. Input is streamed (1 MB reads, documents cut into pieces
 * of at most 1 MB), encoded in batches by worker threads once the input passes 1 MB, and
 * written in input order; at most a few batches per thread are in flight, so memory stays
 * bounded whatever the input size. The tape appears under its name only when complete.
 */
export async function compileTape(files: string[], options: CompileOptions): Promise<CompileReport> {
  const inputs = inputFiles(files);
  // One thread by default: with the tokenizer's chunk memo, one thread measured faster than two
  // workers on this 2-core machine (packages/tokenizer bench), so workers are opt-in (-j N).
  const threads = Math.max(1, options.jobs ?? 1);
  const sizes = inputs.map((i) => i.size);
  const total = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a! + b!, 0) : undefined;
  const progress = new Progress({ label: 'tape compile', total, unit: 'B', quiet: options.quiet });
  const report: CompileReport = { documents: 0, tokens: 0, bytesIn: 0, bytesOut: 0, threads: 1, seconds: 0 };

  const partial = `${options.output}.partial`;
  const fd = openSync(partial, 'w');
  let open = true;
  let pool: EncodePool | undefined;
  const startPool = () => {
    pool = new EncodePool({ tokenizer: options.tokenizer, threads });
    report.threads = threads;
  };
  if (threads > 1 && total !== undefined && total >= PARALLEL_MIN) startPool();
  // The main thread loads the tokenizer only when it encodes (small inputs, --jobs 1).
  const encodeHere = (batch: PieceBatch) => encodeBatch(getTokenizer(options.tokenizer), batch);
  if (!pool) getTokenizer(options.tokenizer); // fail early on a bad --tokenizer
  const inFlight: Array<Promise<EncodedBatch>> = [];
  const batch = new PieceBatchBuilder();
  let charsSeen = 0;

  const write = (encoded: EncodedBatch) => {
    writeSync(fd, encoded.bytes);
    report.documents += encoded.documents;
    report.tokens += encoded.tokens;
    report.bytesOut += encoded.bytes.length;
  };
  const dispatch = async () => {
    if (batch.pieces === 0) return;
    const pieces = batch.take();
    if (!pool && threads > 1 && total === undefined && charsSeen >= PARALLEL_MIN) startPool();
    inFlight.push(pool ? pool.encode(pieces) : Promise.resolve(encodeHere(pieces)));
    while (inFlight.length > 2 * (pool?.threads ?? 0)) write(await inFlight.shift()!);
  };
  const splitter = new DocumentSplitter(options.split, (piece) => batch.add(piece));

  try {
    for (const input of inputs) {
      const decoder = new Utf8Stream(); // invalid UTF-8 → U+FFFD
      for await (const chunk of readInput(input, options.force)) {
        report.bytesIn += chunk.length;
        const text = decoder.write(chunk);
        charsSeen += text.length;
        splitter.push(text);
        progress.update(report.bytesIn);
        if (batch.length >= BATCH_CHARS) await dispatch();
      }
      splitter.push(decoder.end());
      splitter.endFile();
    }
    await dispatch();
    while (inFlight.length > 0) write(await inFlight.shift()!);
    open = false;
    closeSync(fd);
    renameSync(partial, options.output);
  } catch (err) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    await Promise.allSettled(inFlight);
    throw err;
  } finally {
    await pool?.close();
  }
  report.seconds = progress.done(`${report.documents} documents, ${report.tokens} tokens, ${report.bytesOut} bytes → ${options.output}`);
  return report;
}
