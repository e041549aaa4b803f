import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { GyroSI, metrics, metricsSnapshot, setProbeLimit } from '../src/index.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('instrumentation (SPEC §9)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => {
    setProbeLimit(0);
    tmp.cleanup();
  });

  it('the probe prints one line per timed call, for the first N calls of each kind', () => {
    const lines: string[] = [];
    setProbeLimit(2, (l) => lines.push(l));
    const a = new GyroSI(info, freshStore(tmp.dir, 'p.bin'), { seed: 1 });
    a.ingest(licensesStream().bytes);
    a.respondText('the licence', { maxNewTokens: 6 });
    const kinds = (k: string) => lines.filter((l) => l.startsWith(`[probe] ${k} `));
    expect(kinds('candidates').length).toBeGreaterThan(0);
    expect(kinds('candidates').length).toBeLessThanOrEqual(2);
    expect(kinds('feedback')).toHaveLength(2);
    expect(kinds('tokenizer')).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\[probe\] (candidates|feedback|tokenizer) \d+\.\d{3} ms /);
    a.close();
  });

  it("process-wide counters add up every engine's own", () => {
    const before = metricsSnapshot();
    const a = new GyroSI(info, freshStore(tmp.dir, 'm1.bin'), { seed: 2 });
    const b = new GyroSI(info, freshStore(tmp.dir, 'm2.bin'), { seed: 3 });
    a.ingest(licensesStream().bytes);
    b.respondText('hello', { maxNewTokens: 3 });
    for (const k of ['tokensLearned', 'cacheMisses', 'cacheHits', 'fallbacks', 'generatedTokens', 'turns', 'malformed'] as const) {
      expect(metrics[k] - before[k]).toBe(a.engine.counters[k] + b.engine.counters[k]);
    }
    expect(b.engine.counters.fallbacks).toBeGreaterThan(0); // b knows nothing
    a.close();
    b.close();
  });
});
