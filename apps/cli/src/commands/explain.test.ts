import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenJson } from '@gyro/tooling/golden';
import { cliSuite, runGyro } from '../../test/fixture.js';

const scores = goldenJson('licenses_scores.json') as { rows: number[][] };
const fx = cliSuite('gyro-cli-explain-', { licences: 'k.bin' });
const store = fx.store;

describe('gyro explain', () => {
  it('--json --limit 0 lists every candidate of the representative with every term, as the golden scores', async () => {
    const r = await runGyro(['explain', '--state', '3524', '--limit', '0', '--json', '--assets', fx.assets, '--store', store]);
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

  it('prints a ranked table, takes a hex state integer, and rejects bad states with one line', async () => {
    const t = await runGyro(['explain', '--state', '0xa9556aa9556a', '--limit', '3', '--assets', fx.assets, '--store', store]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^state 549871 .*representative 549871/);
    expect(lines[1]).toMatch(/rank\s+token\s+text\s+conf\s+exonProduct\s+resonance\s+orbitFactor\s+uniqueness\s+score/);
    expect(lines[2]).toMatch(/^\s+1\s+101\s+\[CLS\]/);
    const bad = await runGyro(['explain', '--state', '788986', '--assets', fx.assets, '--store', store]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^gyro: --state 788986 is out of range/);
    const nostore = await runGyro(['explain', '--state', '1', '--assets', fx.assets, '--store', fx.path('missing.bin')]);
    expect(nostore.code).toBe(1);
    expect(nostore.stderr.trim()).toMatch(/^gyro: no knowledge store at .*missing\.bin/);
    const corrupt = fx.path('corrupt.bin');
    writeFileSync(corrupt, Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x77]));
    const c = await runGyro(['explain', '--state', '1', '--assets', fx.assets, '--store', corrupt]);
    expect(c.code).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/^gyro: .*corrupt\.bin/);
  });
});
