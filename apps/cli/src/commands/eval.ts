import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { evaluate, FLOOR_SHARE, type EvalReport, type EvalStage } from '@gyro/intelligence';
import { ADDRESSINGS, OrbitStore, type Addressing } from '@gyro/store';
import { getTokenizer, readTape } from '@gyro/tokenizer';
import { addEngineOptions, loadEngine, storePathOf, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';
import { fmt, Progress } from '../lib/progress.js';

interface EvalFlags extends Omit<EngineFlags, 'addressing'> {
  train?: string;
  test: string;
  addressing?: Addressing | 'both';
  json?: boolean;
}

/** A .gyro tape that exists, or a usage error saying how to make one. */
function tapeFlag(flag: string, path: string): Uint8Array {
  let size = -1;
  try {
    size = statSync(path).isFile() ? statSync(path).size : -1;
  } catch {
    // reported below
  }
  if (size < 0) throw new UsageError(`${flag} ${path}: no such file`);
  if (!path.endsWith('.gyro')) throw new UsageError(`${flag} ${path} is not a .gyro tape (make one: gyro tape compile ${path} -o ${path}.gyro)`);
  return readTape(path);
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** The report as a table: baselines, then each addressing. */
function table(r: EvalReport, vocabulary: number): string {
  const rows: string[][] = [['model', 'top-1', 'top-5', 'MRR', 'coverage', 'bits/token', 'tokens/s']];
  if (r.baselines) for (const [name, b] of Object.entries(r.baselines)) rows.push([name, pct(b.top1), pct(b.top5), '', '', '', '']);
  for (const [name, s] of Object.entries(r.addressing)) {
    rows.push([`${name} addressing`, pct(s.top1), pct(s.top5), s.mrr.toFixed(4), pct(s.coverage), s.bitsPerToken.toFixed(2), fmt(s.tokensPerSecond)]);
  }
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((row) => row[k]!.length)));
  const lines = rows.map((row) =>
    row
      .map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!)))
      .join('  ')
      .trimEnd(),
  );
  const floorBits = Math.log2(vocabulary / FLOOR_SHARE).toFixed(1);
  return [
    `${r.testTokens} test tokens ([SEP] excluded: it is never learned)`,
    ...lines,
    `bits/token: generation's own sampling distribution at the θ-derived temperature, mixed with ${FLOOR_SHARE * 100} % of the uniform one over the ${vocabulary}-token vocabulary (a token outside the candidates costs ${floorBits} bits)`,
  ].join('\n');
}

/**
 * `gyro eval`: how well a store predicts held-out text, without learning from it. With
 * `--train` the training tape is learned into a temporary store per addressing and the count
 * baselines come from it; with `--store` (or the default store) that store is measured as is.
 */
export function registerEval(program: Command): void {
  addEngineOptions(
    program
      .command('eval')
      .description(
        'measure how well the model predicts a held-out tape (top-1, top-5, MRR, coverage, bits per token, tokens/s) beside unigram and bigram baselines; learns nothing from it',
      )
      .requiredOption('--test <tape>', 'held-out .gyro tape (gyro tape compile), walked from the archetype as one stream'),
  )
    .option('--train <tape>', "training .gyro tape: learned into a temporary store per addressing (instead of --store), and the baselines' counts")
    .addOption(
      new Option('--addressing <mode>', 'addressing to learn and measure with --train (default both); with a store, the one it must have').choices([
        ...ADDRESSINGS,
        'both',
      ]),
    )
    .option(
      '--json',
      'end with one JSON line {"testTokens","baselines":{"unigram":{"top1","top5"},"bigram":{…}},"addressing":{"canonical":{"top1","top5","mrr","coverage","bitsPerToken","tokensPerSecond"},"state":{…}}}',
    )
    .option('-q, --quiet', 'no progress bars on stderr')
    .action(async (flags: EvalFlags) => {
      if (flags.train !== undefined && flags.store !== undefined)
        throw new UsageError('give --train (learned into a temporary store) or --store (measured as it is), not both');
      if (flags.train === undefined && flags.addressing === 'both') throw new UsageError('--addressing both needs --train: a store has one addressing');
      const test = tapeFlag('--test', flags.test);
      const train = flags.train === undefined ? undefined : tapeFlag('--train', flags.train);
      const quiet = flags.quiet || flags.json;
      // Learning and the walk both run on state halves: the STT-free engine is enough.
      const info = await loadEngine({ ...flags, addressing: undefined, quiet }, 'stt-free');
      const tokenizer = getTokenizer();
      let store: OrbitStore | undefined;
      if (train === undefined) {
        const path = storePathOf({ ...flags, addressing: undefined });
        try {
          statSync(path);
        } catch {
          throw new UsageError(`no knowledge store at ${path} (give --train TAPE, or learn something first: gyro ingest FILE --store ${path})`);
        }
        store = OrbitStore.open(path, {
          readOnly: true,
          ...(flags.addressing === undefined || flags.addressing === 'both' ? {} : { addressing: flags.addressing }),
        });
      }
      const bars = new Map<string, Progress>();
      const onProgress = (stage: EvalStage, addressing: Addressing, bytes: number, total: number) => {
        const label = `${stage === 'learning' ? 'learning the training tape' : 'walking the test tape'} (${addressing} addressing)`;
        let bar = bars.get(label);
        if (bar === undefined) {
          for (const b of bars.values()) b.done();
          bars.clear();
          bars.set(label, (bar = new Progress({ label, total, unit: 'B', quiet })));
        }
        bar.update(bytes);
      };
      let report: EvalReport;
      try {
        report = evaluate({
          info,
          tokenizer,
          test,
          ...(train === undefined
            ? { store: store! }
            : { train, addressings: flags.addressing === undefined || flags.addressing === 'both' ? ADDRESSINGS : [flags.addressing] }),
          onProgress,
        });
      } finally {
        store?.close();
      }
      for (const b of bars.values()) b.done();
      process.stdout.write(`${flags.json ? JSON.stringify(report) : table(report, tokenizer.vocabSize)}\n`);
    });
}
