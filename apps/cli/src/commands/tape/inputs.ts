import { createReadStream, type Stats, statSync } from 'node:fs';
import { UsageError } from '../../lib/fail.js';

/** How much of an input is looked at to decide whether it is text. */
const SNIFF_BYTES = 8192;
/** Share of control bytes (other than tab, LF, CR, FF, ESC) above which input is not text. */
const MAX_CONTROL_SHARE = 0.1;
const READ_CHUNK = 1 << 16;

/** Why a block of bytes looks binary, or undefined when it looks like text. */
export function binaryReason(head: Uint8Array): string | undefined {
  const n = Math.min(head.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return `NUL byte at offset ${i}`;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) controls++;
  }
  if (n > 0 && controls / n > MAX_CONTROL_SHARE) return `${controls} control bytes in the first ${n}`;
  return undefined;
}

export interface InputFile {
  /** As given on the command line; '-' is standard input. */
  name: string;
  /** Size in bytes, or undefined for standard input. */
  size: number | undefined;
}

/** Check every named file before anything is written (a missing file fails fast). */
export function inputFiles(names: string[]): InputFile[] {
  if (names.length === 0) throw new UsageError('no input files (name one or more, or - for standard input)');
  if (names.filter((n) => n === '-').length > 1) throw new UsageError('standard input (-) can be named only once');
  return names.map((name) => {
    if (name === '-') return { name, size: undefined };
    let stat: Stats;
    try {
      stat = statSync(name);
    } catch {
      throw new UsageError(`${name}: no such file`);
    }
    if (!stat.isFile()) throw new UsageError(`${name}: not a regular file`);
    return { name, size: stat.size };
  });
}

/**
 * The bytes of an input in chunks of up to 64 KiB; the first chunk is checked for binary content
 * (refused with the reason unless `force`).
 */
export async function* readInput(input: InputFile, force: boolean): AsyncGenerator<Uint8Array> {
  const stream = input.name === '-' ? process.stdin : createReadStream(input.name, { highWaterMark: READ_CHUNK });
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (first && !force) {
      const reason = binaryReason(chunk);
      if (reason) {
        const label = input.name === '-' ? 'standard input' : input.name;
        throw new UsageError(`${label} looks like a binary file (${reason}); pass --force to compile it anyway`);
      }
    }
    first = false;
    yield chunk;
  }
}
