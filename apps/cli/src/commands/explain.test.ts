import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { assetsDir, gyro, learnLicences, tempDir } from '../lib/engine-test-support.js';

const scores = goldenJson('licenses_scores.json') as { rows: number[][] };
const tmp = tempDir('gyro-cli-explain-');
const store = join(tmp.dir, 'k.bin');
let assets = '';

beforeAll(async () => {
  assets = await assetsDir();
  learnLicences(assets, store);
});
afterAll(() => tmp.cleanup());

describe('gyro explain', () => {
  it('--json --limit 0 lists every candidate of the representative with every term, as the golden scores', () => {
    const r = gyro(['explain', '--state', '3524', '--limit', '0', '--json', '--assets', assets, '--store', store]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rep).toBe(0);
    const golden = scores.rows.filter((row) => row[0] === 0);
    expect(out.candidates).toHaveLength(golden.length);
    const byToken = new Map(golden.map((row) => [row[1], row]));
    for (const c of out.candidates) {
      expect(Object.keys(c).sort()).toEqual(['conf', 'exonProduct', 'mask', 'orbitFactor', 'resonance', 'score', 'text', 'token', 'uniqueness'].sort());
      const g = byToken.get(c.token)!;
      expect(c.exonProduct).toBe(g[4]);
      expect(Math.abs(c.score - g[6]!)).toBeLessThanOrEqual(1e-12);
    }
    for (let i = 1; i < out.candidates.length; i++) expect(out.candidates[i - 1].score).toBeGreaterThanOrEqual(out.candidates[i].score);
  });

  it('prints a ranked table, takes a hex state integer, and rejects bad states with one line', () => {
    const t = gyro(['explain', '--state', '0xa9556aa9556a', '--limit', '3', '--assets', assets, '--store', store]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^state 549871 .*representative 549871/);
    expect(lines[1]).toMatch(/rank\s+token\s+text\s+conf\s+exonProduct\s+resonance\s+orbitFactor\s+uniqueness\s+score/);
    expect(lines[2]).toMatch(/^\s+1\s+101\s+\[CLS\]/);
    const bad = gyro(['explain', '--state', '788986', '--assets', assets, '--store', store]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^gyro: --state 788986 is out of range/);
    const nostore = gyro(['explain', '--state', '1', '--assets', assets, '--store', join(tmp.dir, 'missing.bin')]);
    expect(nostore.code).toBe(1);
    expect(nostore.stderr.trim()).toMatch(/^gyro: no knowledge store at .*missing\.bin/);
    const corrupt = join(tmp.dir, 'corrupt.bin');
    writeFileSync(corrupt, Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x77]));
    const c = gyro(['explain', '--state', '1', '--assets', assets, '--store', corrupt]);
    expect(c.code).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/^gyro: .*corrupt\.bin/);
  });
});
