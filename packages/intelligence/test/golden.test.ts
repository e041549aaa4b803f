import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { OrbitStore } from '@gyro/store';
import { goldenJson } from '@gyro/tooling/golden';
import { IntelligenceEngine } from '../src/index.js';
import { StateScorer } from '../src/internals.js';
import { freshStore, licensesStream, recordRows, recordsSha256, tempDir } from './support.js';

interface LearnGolden {
  tokens: number;
  bytes: number;
  final_state_index: number;
  records: number;
  records_sha256: string;
  rows: number[][];
}
interface ScoresGolden {
  v_max: number;
  rows: Array<[number, number, number, number, number, number, number]>;
}

const golden = goldenJson('licenses_learn.json') as LearnGolden;
const scores = goldenJson('licenses_scores.json') as ScoresGolden;

describe('golden: licences learned by one fresh agent (SPEC §5, §6.1)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  const { bytes } = licensesStream();

  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  function check(store: OrbitStore, engine: IntelligenceEngine): void {
    expect(engine.stateIndex).toBe(golden.final_state_index);
    expect(engine.counters.tokens).toBe(golden.tokens);
    expect(engine.counters.bytes).toBe(golden.bytes);
    expect(engine.counters.malformed + engine.counters.oversize).toBe(0);
    const rows = recordRows(store);
    expect(rows.length).toBe(golden.records);
    expect(rows).toEqual(golden.rows);
    expect(recordsSha256(rows)).toBe(golden.records_sha256);
  }

  it('the bulk path reproduces every record, the hash and the final state', () => {
    expect(bytes.length).toBe(golden.bytes);
    const store = freshStore(tmp.dir, 'bulk.bin');
    const engine = new IntelligenceEngine(info, store, { seed: 1 });
    engine.processEgressBulk(bytes);
    check(store, engine);
    store.close();
    // What was learned survives closing and reopening the file.
    const reopened = OrbitStore.open(store.path, { readOnly: true });
    expect(recordsSha256(recordRows(reopened))).toBe(golden.records_sha256);
    reopened.close();
  });

  it('the single-byte path reproduces them too', () => {
    const store = freshStore(tmp.dir, 'single.bin');
    const engine = new IntelligenceEngine(info, store, { seed: 1 });
    for (const b of bytes) engine.processEgress(b);
    check(store, engine);
    store.close();
  });

  it('the STT-free engine (what the CLI starts) gives the same records on both paths', async () => {
    const free = await testEngine('stt-free');
    expect(free.stt).toBeNull();
    const a = freshStore(tmp.dir, 'free-bulk.bin');
    const bulk = new IntelligenceEngine(free, a);
    bulk.processEgressBulk(bytes);
    check(a, bulk);
    a.close();
    const b = freshStore(tmp.dir, 'free-single.bin');
    const single = new IntelligenceEngine(free, b);
    for (const x of bytes) single.processEgress(x);
    check(b, single);
    b.close();
  });

  it('every score row matches (exon product exactly, resonance and score within 1e-12)', () => {
    expect(scores.v_max).toBe(info.vMax);
    expect(scores.rows.length).toBe(golden.records);
    const store = OrbitStore.open(`${tmp.dir}/bulk.bin`, { readOnly: true });
    const scorers = new Map<number, StateScorer>();
    for (const [state, token, mask, conf, product, resonance, score] of scores.rows) {
      const entry = store.get(state, token)!;
      expect(entry.mask).toBe(mask);
      expect(entry.conf).toBe(conf);
      let scorer = scorers.get(state);
      if (!scorer) scorers.set(state, (scorer = new StateScorer(info, state)));
      const t = scorer.terms(token, entry.mask, entry.conf);
      expect(t.exonProduct).toBe(product);
      expect(Math.abs(t.resonance - resonance)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(t.score - score)).toBeLessThanOrEqual(1e-12);
      expect(scorer.score(token, entry.mask, entry.conf)).toBe(t.score);
    }
    store.close();
  });
});
