/**
 * `gyro eval`'s figures (issue 14): each corpus split 90/10 by document (every tenth document
 * held out), both count baselines, and each addressing's scores from a store that learned the
 * training part; then the walk's speed, best of three walks of the test tape per addressing.
 */
import { join } from 'node:path';
import type { InformationEngine } from '@gyro/information';
import { ADDRESSINGS, OrbitStore } from '@gyro/store';
import { getTokenizer, textToBytes } from '@gyro/tokenizer';
import type { BenchRow } from '@gyro/tooling/bench';
import { IntelligenceEngine, type ModelScores } from '../src/index.js';
import { CountBaselines, tapeTokenIds, walkTestTape } from '../src/internals.js';
import { CORPORA, type Corpus } from './corpora.js';

const GOAL = { canonical: 1e6, state: 5e5 } as const;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The corpus as two tapes: documents 10k + 9 held out, the rest learned, each in order. */
export function split(corpus: Corpus): { train: Uint8Array; test: Uint8Array } {
  const tokenizer = getTokenizer();
  const train: Uint8Array[] = [];
  const test: Uint8Array[] = [];
  let i = 0;
  for (const doc of corpus.documents()) (i++ % 10 === 9 ? test : train).push(textToBytes(doc, tokenizer));
  return { train: concat(train), test: concat(test) };
}

export interface EvalFigures {
  corpus: string;
  trainTokens: number;
  testTokens: number;
  unigram: { top1: number; top5: number };
  bigram: { top1: number; top5: number };
  addressing: Record<'canonical' | 'state', ModelScores & { cpuTokensPerSecond: number }>;
}

export function evalFigures(info: InformationEngine, tmp: string): { rows: BenchRow[]; figures: EvalFigures[] } {
  const rows: BenchRow[] = [];
  const figures: EvalFigures[] = [];
  const tokenizer = getTokenizer();
  for (const corpus of CORPORA) {
    const { train, test } = split(corpus);
    const trainIds = tapeTokenIds(train);
    const baselines = new CountBaselines(trainIds, tokenizer.sepId).score(tapeTokenIds(test));
    const f = { corpus: corpus.name, trainTokens: trainIds.length, testTokens: 0, ...baselines, addressing: {} } as EvalFigures;
    for (const addressing of ADDRESSINGS) {
      const store = OrbitStore.open(join(tmp, `eval-${figures.length}-${addressing}.bin`), { addressing, writeThreshold: 8192, sidecar: false });
      new IntelligenceEngine(info, store, { tokenizer }).processEgressBulk(train);
      store.commit();
      let best: (ModelScores & { cpuTokensPerSecond: number; testTokens: number }) | undefined;
      for (let k = 0; k < 3; k++) {
        const c0 = process.cpuUsage();
        const r = walkTestTape(info, store, test, { tokenizer });
        const c = process.cpuUsage(c0);
        const cpuTokensPerSecond = Math.round(r.testTokens / ((c.user + c.system) / 1e6));
        if (best === undefined || cpuTokensPerSecond > best.cpuTokensPerSecond) best = { ...r, cpuTokensPerSecond };
      }
      store.close();
      f.testTokens = best!.testTokens;
      const { testTokens: _, ...scores } = best!;
      f.addressing[addressing] = scores;
    }
    figures.push(f);
    const name = `${corpus.name}, 90/10 by document (${(f.trainTokens / 1e6).toFixed(2)} M tokens learned, ${f.testTokens} held-out test tokens)`;
    rows.push({
      id: `eval-${corpus.key}-baselines`,
      figure: `eval ${name}: unigram / bigram baselines, top-1 (top-5)`,
      value: `${pct(f.unigram.top1)} (${pct(f.unigram.top5)}) / ${pct(f.bigram.top1)} (${pct(f.bigram.top5)})`,
    });
    for (const a of ADDRESSINGS) {
      const s = f.addressing[a];
      rows.push({
        id: `eval-${corpus.key}-${a}`,
        figure: `eval ${corpus.name}: ${a} addressing, top-1 (top-5), MRR, coverage, bits/token`,
        value: `${pct(s.top1)} (${pct(s.top5)}), ${s.mrr.toFixed(3)}, ${pct(s.coverage)}, ${s.bitsPerToken.toFixed(2)}`,
      });
    }
    for (const a of ADDRESSINGS) {
      const s = f.addressing[a];
      rows.push({
        id: `eval-speed-${corpus.key}-${a}`,
        figure: `eval speed, ${corpus.name}, ${a} addressing (best of 3 walks)`,
        value: `${(s.cpuTokensPerSecond / 1e6).toFixed(2)} M test tokens per CPU-second (${(s.tokensPerSecond / 1e6).toFixed(2)} M/s wall)`,
        goal: `≥ ${GOAL[a] / 1e6} M/s`,
        pass: s.cpuTokensPerSecond >= GOAL[a],
      });
    }
  }
  return { rows, figures };
}
