import { createReadStream, statSync } from 'node:fs';
import { TapeScanner, type MalformedSpot, type TapeScannerOptions, type TapeStats } from '@gyro/tokenizer';
import { UsageError } from '../../lib/fail.js';
import { Progress } from '../../lib/progress.js';

/** Stream a tape file through a TapeScanner (1 MB reads, progress on large files). */
export interface ScanFileOptions extends TapeScannerOptions {
  label: string;
  quiet?: boolean;
  /** Awaited after each chunk (lets a caller wait for its output to drain). */
  afterChunk?: () => Promise<void>;
}

export async function scanTapeFile(path: string, options: ScanFileOptions): Promise<TapeStats> {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path}: not a regular file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path}: no such file`);
  }
  const scanner = new TapeScanner(options);
  // Only large tapes get a bar (and its summary line); small ones stay silent.
  const progress = new Progress({ label: options.label, total: size, unit: 'B', quiet: options.quiet || size < 1 << 24 });
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    scanner.push(chunk);
    progress.add(chunk.length);
    await options.afterChunk?.();
  }
  const stats = scanner.finish();
  progress.done();
  return stats;
}

export function describeSpot(spot: MalformedSpot): string {
  const why = { overlong: 'more than 5 LEB128 bytes', 'id-too-large': 'id of 2^32 or more', truncated: 'tape ends inside a token' }[spot.reason];
  return `byte ${spot.offset} (${spot.length} byte${spot.length === 1 ? '' : 's'}: ${why})`;
}
