import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { assetsDir, gyro, tempDir } from '../lib/engine-test-support.js';

const tmp = tempDir('gyro-cli-corpus-');
let assets = '';

beforeAll(async () => {
  assets = await assetsDir();
});
afterAll(() => tmp.cleanup());

describe('gyro corpus wordnet', () => {
  it('learns the first N glosses into the store and reports them in one JSON line', () => {
    const store = join(tmp.dir, 'k.bin');
    const r = gyro(['corpus', 'wordnet', '--limit', '300', '--store', store, '--assets', assets, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(s).toMatchObject({ corpus: 'wordnet', store, documents: 300 });
    expect(s.tokens).toBeGreaterThan(300 * 3);
    expect(s.learned).toBe(s.tokens - 300); // every token but each gloss's [SEP]
    expect(s.entries).toBeGreaterThan(0);
    const stats = gyro(['store', 'stats', '--store', store, '--json']);
    expect(JSON.parse(stats.stdout).liveEntries).toBe(s.entries);
  });

  it('learns exactly what gyro ingest learns from the same glosses one per line', () => {
    const viaCorpus = join(tmp.dir, 'a.bin');
    const viaIngest = join(tmp.dir, 'b.bin');
    const glossFile = join(tmp.dir, 'glosses.txt');
    writeFileSync(glossFile, `${[...wordnetGlosses(40)].join('\n')}\n`);
    expect(gyro(['corpus', 'wordnet', '--limit', '40', '--store', viaCorpus, '--assets', assets, '-q']).code).toBe(0);
    expect(gyro(['ingest', glossFile, '--store', viaIngest, '--assets', assets, '-q']).code).toBe(0);
    const exported = gyro(['store', 'export', '--store', viaCorpus]).stdout;
    expect(exported.split('\n').length).toBeGreaterThan(100);
    expect(gyro(['store', 'export', '--store', viaIngest]).stdout).toBe(exported);
  });

  it('refuses a bad --limit in one line', () => {
    const r = gyro(['corpus', 'wordnet', '--limit', 'lots', '--store', join(tmp.dir, 'c.bin'), '--assets', assets]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('gyro: --limit must be a non-negative integer, got "lots"');
  });
});
