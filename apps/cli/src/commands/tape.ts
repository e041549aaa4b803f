import { type Command, Option } from 'commander';
import { getTokenizer } from '@gyro/tokenizer';
import { CliError, UsageError } from '../lib/fail.js';
import { compileTape } from './tape/compile.js';
import { SPLIT_MODES, type SplitMode } from './tape/documents.js';
import { describeSpot, scanTapeFile } from './tape/read-tape.js';

/** Malformed spots printed one per line before the summary. */
const SHOWN_SPOTS = 20;

/** `gyro tape compile|decode|stats`: text ↔ tapes of masked LEB128 token ids (SPEC §3). */
export function registerTape(program: Command): void {
  const tape = program.command('tape').description('compile text into .gyro tapes (masked token bytes), decode them, count what they hold');

  tape
    .command('compile')
    .description('encode text files into one tape: each document [CLS] … [SEP], in input order')
    .argument('<files...>', 'text files (UTF-8); - reads standard input')
    .requiredOption('-o, --output <file>', 'the tape to write (e.g. corpus.gyro)')
    .addOption(
      new Option('--split <mode>', 'what a document is: a line, a blank-line-separated paragraph, or a whole file').choices(SPLIT_MODES).default('paragraph'),
    )
    .option('-j, --jobs <n>', 'encoding threads for inputs over 1 MiB: the main thread and n - 1 workers (default 1: the main thread alone)', parsePositiveInt)
    .option('--force', 'compile input that looks binary (NUL or many control bytes)', false)
    .option('--tokenizer <name|path>', "tokenizer: 'bert-base-uncased' or a tokenizer.json", 'bert-base-uncased')
    .option('-q, --quiet', 'no progress bar or summary line', false)
    .action(async (files: string[], opts: { output: string; split: SplitMode; jobs?: number; force: boolean; tokenizer: string; quiet: boolean }) => {
      await compileTape(files, opts);
    });

  tape
    .command('decode')
    .description('print the text of a tape, one document per line; report where malformed bytes are')
    .argument('<tape>', 'a .gyro tape')
    .option('--tokenizer <name|path>', 'the tokenizer the tape was made with', 'bert-base-uncased')
    .action(async (path: string, opts: { tokenizer: string }) => {
      const tokenizer = getTokenizer(opts.tokenizer);
      // `gyro tape decode x.gyro | head` closes the pipe early: that is the reader's choice, not an error.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      let lines: string[] = [];
      let shown = 0;
      const stats = await scanTapeFile(path, {
        label: 'tape decode',
        sepId: tokenizer.sepId,
        onDocument: (ids) => lines.push(tokenizer.decode(ids)),
        onMalformed: (spot) => {
          if (shown++ < SHOWN_SPOTS) process.stderr.write(`gyro: ${path}: malformed token at ${describeSpot(spot)}\n`);
        },
        afterChunk: async () => {
          if (lines.length === 0) return;
          const text = `${lines.join('\n')}\n`;
          lines = [];
          await writeOut(text);
        },
      });
      if (lines.length > 0) await writeOut(`${lines.join('\n')}\n`);
      if (stats.malformed > 0) {
        throw new CliError(
          'MALFORMED_TAPE',
          `${path}: ${stats.malformed} malformed token(s), first at byte ${stats.malformedAt[0]!.offset}; they were skipped and everything else decoded`,
        );
      }
    });

  tape
    .command('stats')
    .description('count bytes, tokens, documents and malformed tokens of a tape')
    .argument('<tape>', 'a .gyro tape')
    .option('--json', 'print one JSON object', false)
    .option('--tokenizer <name|path>', 'the tokenizer the tape was made with (for its [SEP] id)', 'bert-base-uncased')
    .action(async (path: string, opts: { json: boolean; tokenizer: string }) => {
      const stats = await scanTapeFile(path, { label: 'tape stats', sepId: getTokenizer(opts.tokenizer).sepId, quiet: opts.json });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ file: path, ...stats })}\n`);
        return;
      }
      const rows: Array<[string, number]> = [
        ['bytes', stats.bytes],
        ['tokens', stats.tokens],
        ['documents', stats.documents],
        ['malformed', stats.malformed],
      ];
      let out = `${path}\n${rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`).join('\n')}\n`;
      for (const spot of stats.malformedAt.slice(0, SHOWN_SPOTS)) out += `  malformed token at ${describeSpot(spot)}\n`;
      process.stdout.write(out);
    });
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs must be a positive integer, not '${value}'`);
  return n;
}

/** Write to stdout and wait while the pipe is full (bounded memory on big tapes). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
