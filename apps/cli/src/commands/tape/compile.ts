import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { EncodePool, PieceBatchBuilder, encodeBatch, getTokenizer, type EncodedBatch } from '@gyro/tokenizer';
import { Progress } from '../../lib/progress.js';
import { DocumentSplitter, type SplitMode } from './documents.js';
import { inputFiles, readInput } from './inputs.js';
import { Utf8Stream } from './utf8.js';

/** Text per batch sent to the encoder (UTF-16 units). */
const BATCH_CHARS = 64 * 1024;
/**
 * Inputs smaller than this are encoded in the main thread alone (starting a worker, which loads
 * its own tokenizer, costs more than it saves). Larger files start the workers at once; standard
 * input, of unknown size, starts them when this much text has arrived.
 */
const PARALLEL_MIN = 1 << 20;
/** Batches queued per worker: enough that a worker never waits for the main thread. */
const QUEUE_PER_WORKER = 2;

export interface CompileOptions {
  output: string;
  split: SplitMode;
  force: boolean;
  /** Encoding threads: the main thread plus jobs - 1 workers (default 1: the main thread alone). */
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
 * Compile text files into one tape. Input is streamed (64 KiB reads, documents cut into pieces
 * of at most 1 MB) and encoded in batches of ~64 Ki characters, written in input order. (Small
 * reads and batches keep every string out of V8's large-object space, whose fresh pages are
 * slow to touch on some VMs.)
 *
 * With `jobs` N > 1 (and over 1 MB of input) the main thread is one of N encoders: it hands each
 * batch to one of N - 1 worker threads while they have fewer than two queued, and encodes it
 * itself otherwise, so no core waits for another and the main thread's reading, splitting and
 * writing fill the gaps. At most a few batches per worker are in flight, so memory stays bounded
 * whatever the input size. The tape appears under its name only when complete.
 */
export async function compileTape(files: string[], options: CompileOptions): Promise<CompileReport> {
  const inputs = inputFiles(files);
  // One thread by default: two encoders measured 0.94× of one on the 9 MB WordNet glosses and
  // 1.05× on 72 MB on a quiet 2-core machine (packages/tokenizer bench), so workers are opt-in.
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
    pool = new EncodePool({ tokenizer: options.tokenizer, threads: threads - 1 });
    report.threads = threads;
  };
  if (threads > 1 && total !== undefined && total >= PARALLEL_MIN) startPool();
  const tokenizer = getTokenizer(options.tokenizer); // also fails early on a bad --tokenizer
  /** Batches in input order: encoded here (done at once) or by a worker (done when it answers). */
  const inFlight: Array<{ done?: EncodedBatch; answer?: Promise<unknown> }> = [];
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
    if (pool !== undefined && pool.inFlight < QUEUE_PER_WORKER * pool.threads) {
      const entry: (typeof inFlight)[number] = {};
      entry.answer = pool.encode(pieces).then((encoded) => (entry.done = encoded));
      entry.answer.catch(() => {}); // a failure surfaces where the answer is awaited
      inFlight.push(entry);
    } else inFlight.push({ done: encodeBatch(tokenizer, pieces) });
    // Write what is done, in order; wait for the oldest only when too much is in flight.
    while (inFlight.length > 0) {
      const head = inFlight[0]!;
      if (!head.done) {
        if (inFlight.length <= QUEUE_PER_WORKER * (pool?.threads ?? 0) + 1) break;
        await head.answer;
      }
      write(inFlight.shift()!.done!);
    }
  };
  const splitter = new DocumentSplitter(options.split, (piece) => batch.add(piece));

  try {
    for (const input of inputs) {
      const decoder = new Utf8Stream(); // invalid UTF-8 → U+FFFD
      for await (const chunk of readInput(input, options.force)) {
        report.bytesIn += chunk.length;
        const text = decoder.write(chunk);
        charsSeen += text.length;
        // Fed in slices so batches stay near BATCH_CHARS whatever the read size.
        for (let at = 0; at < text.length; at += BATCH_CHARS) {
          splitter.push(at === 0 && text.length <= BATCH_CHARS ? text : text.slice(at, at + BATCH_CHARS));
          if (batch.length >= BATCH_CHARS) await dispatch();
        }
        progress.update(report.bytesIn);
      }
      splitter.push(decoder.end());
      splitter.endFile();
    }
    await dispatch();
    for (const entry of inFlight.splice(0)) {
      if (!entry.done) await entry.answer;
      write(entry.done!);
    }
    open = false;
    closeSync(fd);
    renameSync(partial, options.output);
  } catch (err) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    await Promise.allSettled(inFlight.map((e) => e.answer));
    throw err;
  } finally {
    await pool?.close();
  }
  const threadNote = report.threads > 1 ? ` (${report.threads} encoding threads)` : '';
  report.seconds = progress.done(`${report.documents} documents, ${report.tokens} tokens, ${report.bytesOut} bytes → ${options.output}${threadNote}`);
  return report;
}
