/**
 * Filling candidate lists from a state-addressed store (issue 14's state walk spent ~40 % here):
 * scanCandidates, which reads each key's value from the bucket its walk is on
 * (forEachKeyOfState), against the former scan (walk the state's keys, then getPacked each key
 * again), over every state the WordNet training part stored. The two fill the same lists (checked
 * here, bit for bit); rounds alternate between them so the VM's drift hits both alike, and the
 * figure is their CPU-time ratio. Run with `pnpm bench:scan`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngine } from '@gyro/information/testing';
import { confFromHalfBits, OrbitStore, type PhenotypeStore } from '@gyro/store';
import { getTokenizer } from '@gyro/tokenizer';
import { report } from '@gyro/tooling/bench';
import { IntelligenceEngine } from '../src/index.js';
import { CandidateList, scanCandidates, StateScorer } from '../src/internals.js';
import { CORPORA } from './corpora.js';
import { split } from './eval.js';

/** The scan as it was before forEachKeyOfState: a second lookup per key. */
function keysThenGet(store: PhenotypeStore, list: CandidateList, scanLimit: number): void {
  const rep = list.rep;
  let scanned = 0;
  let complete = true;
  for (const token of store.iterKeysForState(rep)) {
    if (scanned >= scanLimit) {
      complete = false;
      break;
    }
    const packed = store.getPacked(rep, token);
    if (packed < 0 || ((packed >>> 16) & 1) !== 0) continue;
    scanned++;
    list.offer(token, list.scorer.score(token, (packed >>> 16) & 0xff, confFromHalfBits(packed & 0xffff)));
  }
  list.scanned = scanned;
  list.complete = complete;
}

const SCAN_LIMIT = 512;
const tmp = mkdtempSync(join(tmpdir(), 'gyro-bench-scan-'));
try {
  const info = await testEngine('stt-free');
  const store = OrbitStore.open(join(tmp, 'state.bin'), { addressing: 'state', writeThreshold: 8192, sidecar: false });
  new IntelligenceEngine(info, store, { tokenizer: getTokenizer() }).processEgressBulk(split(CORPORA[0]!).train);
  store.commit();
  const seen = new Set<number>();
  store.forEachEntry((state) => seen.add(state));
  const states = Uint32Array.from(seen);
  const scorers = Array.from(states, (s) => new StateScorer(info, s));
  const a = new CandidateList(scorers[0]!, 100);
  const b = new CandidateList(scorers[0]!, 100);
  const cpu: Record<'walk' | 'get', number> = { walk: 0, get: 0 };
  for (let round = 0; round < 6; round++) {
    for (const variant of round % 2 === 0 ? (['get', 'walk'] as const) : (['walk', 'get'] as const)) {
      const c0 = process.cpuUsage();
      for (const scorer of scorers) {
        if (variant === 'walk') {
          a.reset(scorer, 0);
          scanCandidates(store, a, SCAN_LIMIT, Infinity);
        } else {
          b.reset(scorer, 0);
          keysThenGet(store, b, SCAN_LIMIT);
        }
      }
      const c = process.cpuUsage(c0);
      if (round > 0) cpu[variant] += c.user + c.system; // round 0 warms the JIT
    }
  }
  // The same lists, bit for bit (checked after timing, state by state).
  for (const scorer of scorers) {
    a.reset(scorer, 0);
    b.reset(scorer, 0);
    scanCandidates(store, a, SCAN_LIMIT, Infinity);
    keysThenGet(store, b, SCAN_LIMIT);
    const same =
      a.count === b.count &&
      a.scanned === b.scanned &&
      a.complete === b.complete &&
      a.cutoff === b.cutoff &&
      a.tokens.every((t, i) => t === b.tokens[i]) &&
      a.scores.every((s, i) => Object.is(s, b.scores[i]));
    if (!same) throw new Error(`state ${scorer.rep}: the two scans filled different lists`);
  }
  const fills = states.length * 5;
  const row = {
    id: 'scan-fills',
    figure: `candidate fills, WordNet state store (${states.length} states, ${store.size} entries), value read in the walk vs. keys then getPacked`,
    value: `${(fills / (cpu.walk / 1e6) / 1e3).toFixed(1)} K vs ${(fills / (cpu.get / 1e6) / 1e3).toFixed(1)} K fills per CPU-second: ${(cpu.get / cpu.walk).toFixed(2)}× (same lists)`,
  };
  store.close();
  if (process.argv.includes('--report')) report('@gyro/intelligence scan', [row]);
  else console.log(`| ${row.figure} | ${row.value} |`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
