import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InformationEngine } from '@gyro/information';
import { ADDRESSINGS, addressingOf, OrbitStore, type Addressing, type PhenotypeStore } from '@gyro/store';
import { getTokenizer, type GyroTokenizer } from '@gyro/tokenizer';
import { IntelligenceEngine } from '../engine/IntelligenceEngine.js';
import { InvalidArgumentError } from '../errors.js';
import type { Preferences } from '../preferences.js';
import { CountBaselines, type BaselineScores } from './count-baselines.js';
import { tapeTokenIds } from './tape-ids.js';
import { walkTestTape, type ModelScores } from './walk.js';

/** The report of `gyro eval --json` (accuracies and coverage as fractions). */
export interface EvalReport {
  testTokens: number;
  /** Only when a training tape was given. */
  baselines?: { unigram: BaselineScores; bigram: BaselineScores };
  addressing: Partial<Record<Addressing, ModelScores>>;
}

export type EvalStage = 'learning' | 'evaluating';

export interface EvaluateOptions {
  info: InformationEngine;
  /** Masked wire bytes of the held-out text (a tape). */
  test: Uint8Array;
  /** A training tape: learned into a temporary store per addressing, and the baselines' counts. */
  train?: Uint8Array;
  /** Instead of `train`: a store evaluated as it is, under its own addressing. */
  store?: PhenotypeStore;
  /** With `train`: the addressings to learn and evaluate (default both). */
  addressings?: readonly Addressing[];
  tokenizer?: GyroTokenizer;
  preferences?: Partial<Preferences>;
  /** Where the temporary stores go (default: the system's temporary folder); removed after. */
  workDir?: string;
  onProgress?: (stage: EvalStage, addressing: Addressing, bytes: number, total: number) => void;
}

/** Bulk egress runs in slices of this many bytes, so progress moves on big tapes. */
const SLICE = 1 << 20;

/**
 * How well a store predicts held-out text (`gyro eval`): each addressing's figures from a store
 * that learned `train` (or from `store`), and, with `train`, the unigram and bigram baselines.
 * Nothing is learned from `test`.
 */
export function evaluate(options: EvaluateOptions): EvalReport {
  const { info, test } = options;
  const tokenizer = options.tokenizer ?? getTokenizer();
  if ((options.train === undefined) === (options.store === undefined)) {
    throw new InvalidArgumentError(
      'give exactly one of a training tape and a store',
      'evaluate({ train }) learns a temporary store; evaluate({ store }) measures an existing one',
    );
  }
  const walk = (store: PhenotypeStore, addressing: Addressing) =>
    walkTestTape(info, store, test, {
      tokenizer,
      ...(options.preferences === undefined ? {} : { preferences: options.preferences }),
      ...(options.onProgress === undefined ? {} : { onProgress: (b: number) => options.onProgress!('evaluating', addressing, b, test.length) }),
    });
  const report: EvalReport = { testTokens: 0, addressing: {} };
  if (options.store !== undefined) {
    const addressing = addressingOf(options.store);
    const { testTokens, seconds: _, ...scores } = walk(options.store, addressing);
    report.testTokens = testTokens;
    report.addressing[addressing] = scores;
    return report;
  }
  const train = options.train!;
  const baselines = new CountBaselines(tapeTokenIds(train), tokenizer.sepId);
  const testIds = tapeTokenIds(test);
  const withBaselines: EvalReport = {
    testTokens: testIds.reduce((n, id) => (id === tokenizer.sepId ? n : n + 1), 0),
    baselines: baselines.score(testIds),
    addressing: report.addressing,
  };
  const dir = mkdtempSync(join(options.workDir ?? tmpdir(), 'gyro-eval-'));
  try {
    for (const addressing of options.addressings ?? ADDRESSINGS) {
      const store = OrbitStore.open(join(dir, `${addressing}.bin`), { addressing, writeThreshold: 8192, sidecar: false });
      try {
        learn(info, store, train, tokenizer, (b) => options.onProgress?.('learning', addressing, b, train.length));
        const { testTokens: _, seconds: __, ...scores } = walk(store, addressing);
        report.addressing[addressing] = scores;
      } finally {
        store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return withBaselines;
}

/** Learn a tape into `store` as one stream from the archetype, as `gyro ingest` does. */
function learn(info: InformationEngine, store: PhenotypeStore, bytes: Uint8Array, tokenizer: GyroTokenizer, progress: (bytes: number) => void): void {
  const engine = new IntelligenceEngine(info, store, { tokenizer });
  for (let at = 0; at < bytes.length; at += SLICE) {
    engine.processEgressBulk(bytes.subarray(at, at + SLICE));
    progress(Math.min(bytes.length, at + SLICE));
  }
  store.commit();
}
