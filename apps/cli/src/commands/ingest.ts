import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { IntelligenceEngine } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { getTokenizer, readTape, textToBytes } from '@gyro/tokenizer';
import { addEngineOptions, addressingOption, createOption, loadEngine, writableStorePath, type EngineFlags } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';
import { Progress } from '../lib/progress.js';

interface IngestFlags extends EngineFlags {
  json?: boolean;
  create?: boolean;
}

/** Bulk egress runs in slices of this many bytes so the progress bar moves on big tapes. */
const SLICE = 1 << 20;
/** Records buffered before a write: large, since ingest commits and flushes at the end anyway. */
const WRITE_THRESHOLD = 8192;

/**
 * `gyro ingest FILES…`: learn text files (each non-blank line a document, [CLS] … [SEP]) or
 * `.gyro` tapes, in the order given, as one stream from the archetype, into the store.
 */
export function registerIngest(program: Command): void {
  addEngineOptions(
    program
      .command('ingest')
      .description('learn text files (one document per non-blank line) or .gyro tapes, in order, into the knowledge store')
      .argument('<files...>', 'text files or .gyro tapes'),
  )
    .option('--json', 'end with one JSON line {"tokens","bytes","learned","malformed","finalStateIndex","addressing","seconds","tokensPerSecond"}')
    .addOption(addressingOption())
    .addOption(createOption())
    .option('-q, --quiet', 'no progress bar or summary on stderr')
    .action(async (files: string[], flags: IngestFlags) => {
      const path = writableStorePath(flags);
      let total = 0;
      for (const f of files) {
        if (!existsSync(f) || !statSync(f).isFile()) throw new UsageError(`${f} is not a readable file`);
        total += statSync(f).size;
      }
      // Bulk egress walks state halves and never reads the transition table: the STT-free engine
      // loads without the 800 MB table.
      const info = await loadEngine(flags, 'stt-free');
      const store = OrbitStore.open(path, { writeThreshold: WRITE_THRESHOLD, ...(flags.addressing === undefined ? {} : { addressing: flags.addressing }) });
      const engine = new IntelligenceEngine(info, store);
      const bar = new Progress({ label: 'ingest', total, unit: 'B', quiet: flags.quiet || flags.json });
      const t0 = performance.now();
      let done = 0;
      try {
        for (const file of files) {
          if (file.endsWith('.gyro')) {
            const tape = readTape(file);
            for (let at = 0; at < tape.length; at += SLICE) {
              const slice = tape.subarray(at, at + SLICE);
              engine.processEgressBulk(slice);
              bar.update((done += slice.length));
            }
          } else {
            // Streamed line by line, so a text file of any size needs memory for one line only.
            const tokenizer = getTokenizer();
            const base = done;
            let read = 0;
            const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
            for await (const line of lines) {
              read += Buffer.byteLength(line) + 1;
              if (line.trim() === '') continue;
              engine.processEgressBulk(textToBytes(line, tokenizer));
              bar.update((done = base + read));
            }
            done = base + statSync(file).size;
          }
          // Each file ends on a token boundary: a tape cut mid-token must not run into the next file.
          if (engine.pendingTokenBytes > 0) {
            engine.resetTokenBuffer();
            engine.counters.malformed++;
          }
        }
      } finally {
        store.close();
      }
      const entries = store.size;
      const seconds = (performance.now() - t0) / 1000;
      const c = engine.counters;
      bar.done(`${c.tokens} tokens from ${files.length} file(s)`);
      const summary = {
        tokens: c.tokens,
        bytes: c.bytes,
        learned: c.tokensLearned,
        malformed: c.malformed + c.oversize,
        finalStateIndex: engine.stateIndex,
        addressing: store.addressing,
        seconds: Number(seconds.toFixed(3)),
        tokensPerSecond: Math.round(c.tokens / Math.max(seconds, 1e-9)),
      };
      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        process.stdout.write(
          `learned ${summary.learned} of ${summary.tokens} tokens (${summary.malformed} malformed) into ${store.path} (${store.addressing} addressing); ${entries} entries; final state ${summary.finalStateIndex}\n`,
        );
    });
}
