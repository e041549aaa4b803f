import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { bytesToIds } from '@gyro/tokenizer';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-eval-');
const SEP = 102;

/** Compile `lines` (one document each) into a tape with the CLI itself. */
async function tape(name: string, lines: string[]): Promise<string> {
  const text = fx.path(`${name}.txt`);
  writeFileSync(text, `${lines.join('\n')}\n`);
  const out = fx.path(`${name}.gyro`);
  const r = await runGyro(['tape', 'compile', text, '-o', out, '--split', 'line', '-q']);
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

/** The unigram and bigram top-1 of the issue, counted in a few lines of plain JS over token ids. */
function countModel(train: number[], test: number[]): { unigram: number; bigram: number } {
  const best = (m: Map<number, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const uni = new Map<number, number>();
  const bi = new Map<number, Map<number, number>>();
  for (let i = 0; i < train.length; i++) {
    const t = train[i]!;
    if (t === SEP) continue;
    uni.set(t, (uni.get(t) ?? 0) + 1);
    if (i === 0) continue;
    if (!bi.has(train[i - 1]!)) bi.set(train[i - 1]!, new Map());
    const m = bi.get(train[i - 1]!)!;
    m.set(t, (m.get(t) ?? 0) + 1);
  }
  const top = best(uni);
  let n = 0;
  let u = 0;
  let b = 0;
  for (let i = 0; i < test.length; i++) {
    if (test[i] === SEP) continue;
    n++;
    if (test[i] === top) u++;
    const m = i > 0 ? bi.get(test[i - 1]!) : undefined;
    if (test[i] === (m ? best(m) : top)) b++;
  }
  return { unigram: u / n, bigram: b / n };
}

let train = '';
let test = '';
beforeAll(async () => {
  // Glosses 3,000–6,000 of WordNet (no other test learns them), split 90/10 by document.
  const glosses = [...wordnetGlosses(6000)].slice(3000);
  train = await tape(
    'train',
    glosses.filter((_, i) => i % 10 !== 9),
  );
  test = await tape(
    'test',
    glosses.filter((_, i) => i % 10 === 9),
  );
});

describe('gyro eval', () => {
  it('--addressing both --json: baselines agree with an independent count model, figures for both addressings', async () => {
    const r = await runGyro(['eval', '--train', train, '--test', test, '--addressing', 'both', '--assets', fx.assets, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(report)).toEqual(['testTokens', 'baselines', 'addressing']);
    const trainIds = bytesToIds(new Uint8Array(readFileSync(train)));
    const testIds = bytesToIds(new Uint8Array(readFileSync(test)));
    const counts = countModel(trainIds, testIds);
    expect(report.testTokens).toBe(testIds.filter((t) => t !== SEP).length);
    expect(Math.abs(report.baselines.unigram.top1 - counts.unigram)).toBeLessThan(0.003);
    expect(Math.abs(report.baselines.bigram.top1 - counts.bigram)).toBeLessThan(0.003);
    for (const b of ['unigram', 'bigram']) expect(Object.keys(report.baselines[b])).toEqual(['top1', 'top5']);
    for (const a of ['canonical', 'state']) {
      const s = report.addressing[a];
      expect(Object.keys(s)).toEqual(['top1', 'top5', 'mrr', 'coverage', 'bitsPerToken', 'tokensPerSecond']);
      expect(s.top1).toBeGreaterThan(0);
      expect(s.top5).toBeGreaterThanOrEqual(s.top1);
      expect(s.coverage).toBeGreaterThan(0.5);
      expect(s.bitsPerToken).toBeGreaterThan(0);
      expect(s.tokensPerSecond).toBeGreaterThan(0);
    }
  });

  it('prints a table without --json, and measures an existing store under its own addressing (no baselines)', async () => {
    const store = fx.path('state.bin');
    expect((await runGyro(['ingest', train, '--store', store, '--addressing', 'state', '--assets', fx.assets, '-q'])).code).toBe(0);
    const t = await runGyro(['eval', '--store', store, '--test', test, '--assets', fx.assets, '-q']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^\d+ test tokens/);
    expect(t.stdout).toMatch(/\nstate addressing +\d+\.\d\d % +\d+\.\d\d %/);
    expect(t.stdout).not.toMatch(/unigram|canonical addressing/);
    const j = JSON.parse((await runGyro(['eval', '--store', store, '--test', test, '--assets', fx.assets, '--json'])).stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(j)).toEqual(['testTokens', 'addressing']);
    expect(Object.keys(j.addressing)).toEqual(['state']);
  });

  it('refuses bad combinations and stores of the other addressing, in one line', async () => {
    const store = fx.path('canonical.bin');
    expect((await runGyro(['ingest', train, '--store', store, '--assets', fx.assets, '-q'])).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['eval', '--store', store, '--test', test, '--addressing', 'state'], /^gyro: store .*canonical\.bin is keyed by canonical addressing, not state/],
      [['eval', '--store', store, '--test', test, '--addressing', 'both'], /^gyro: --addressing both needs --train/],
      [['eval', '--store', store, '--train', train, '--test', test], /^gyro: give --train .* or --store .*, not both/],
      [['eval', '--train', train, '--test', fx.path('train.txt')], /^gyro: --test .*train\.txt is not a \.gyro tape \(make one: gyro tape compile/],
      [['eval', '--train', train, '--test', fx.path('nope.gyro')], /^gyro: --test .*nope\.gyro: no such file/],
    ];
    for (const [args, message] of cases) {
      const r = await runGyro([...args, '--assets', fx.assets]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('--addressing on the commands that learn', () => {
  it('ingest and corpus record it, store stats reports it, and mixing is refused', async () => {
    const store = fx.path('mixed.bin');
    const first = await runGyro(['corpus', 'wordnet', '--limit', '50', '--store', store, '--addressing', 'state', '--assets', fx.assets, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1)!).addressing).toBe('state');
    const stats = await runGyro(['store', 'stats', '--store', store]);
    expect(stats.stdout).toMatch(/addressing +state \(keys are exact states\)/);
    expect(JSON.parse((await runGyro(['store', 'stats', '--store', store, '--json'])).stdout).addressing).toBe('state');
    const size = readFileSync(store).length;
    const mixed = await runGyro(['ingest', train, '--store', store, '--addressing', 'canonical', '--assets', fx.assets, '-q']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/^gyro: store .*mixed\.bin is keyed by state addressing, not canonical \(open it with --addressing state or without the flag/);
    expect(readFileSync(store).length).toBe(size);
    // Without the flag a store keeps its own.
    const again = await runGyro(['ingest', train, '--store', store, '--assets', fx.assets, '--json']);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!).addressing).toBe('state');
    const bad = await runGyro(['ingest', train, '--store', store, '--addressing', 'exact', '--assets', fx.assets]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--addressing.*exact.*(canonical, state|Allowed choices)/);
  });
});
