// Load test of POST /v1/chat/completions (a script, not a test): the real server as a child
// process over a store that learned the golden licence texts, autocannon at concurrency 8 with
// short prompts for 30 s. Goals: ≥ 200 requests/s, p99 ≤ 100 ms, zero errors, memory flat,
// GET /health (probed alongside) p99 ≤ 50 ms.
// Then the same load against a second server that requires an API key, interleaved with the
// keyless one (LOAD_SLICES slices of LOAD_SLICE_SECONDS each, alternating, so the VM's drift
// hits both alike): with the key, throughput stays within 10 % of without. A third server keeps
// agent memory in Redis (`--memory`, a real redis-server on a free port), in the same slices:
// ≥ half the file-based throughput and p99 ≤ 50 ms; then one user's 10-turn conversation and the
// Redis memory of its agents. LOAD_REDIS_ARGS adds flags to that server (e.g. --worker-nice 0).
//
//   pnpm --filter @gyro/adapter bench            (builds nothing: run `pnpm build` first)
//   LOAD_SECONDS=10 LOAD_CONNECTIONS=8 tsx bench/load.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ensureAssets, loadInformationEngine } from '@gyro/information';
import { GyroSI } from '@gyro/intelligence';
import { OrbitStore } from '@gyro/store';
import { textToBytes } from '@gyro/tokenizer';
import { createMemoryClient, redisKeysOf } from '@gyro/store-redis';
import { startRedisServer } from '@gyro/store-redis/testing';
import { report } from '@gyro/tooling/bench';
import { cacheDir, goldenText } from '@gyro/tooling/golden';
import { serveArgs } from '@gyro/tooling/serve-args';
import { startServerProcess } from '../test/server-process.js';

const seconds = Number(process.env.LOAD_SECONDS ?? 30);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 8);
const slices = Number(process.env.LOAD_SLICES ?? 6);
const sliceSeconds = Number(process.env.LOAD_SLICE_SECONDS ?? 5);
const API_KEY = 'bench-key-0123456789abcdef';
const PROMPTS = [
  'may i copy the software?',
  'what is free software?',
  'can i change the program?',
  'who may distribute copies?',
  'is there a warranty?',
  'what does the license protect?',
  'may i sell copies?',
  'what are the terms?',
];

async function main(): Promise<void> {
  const assets = process.env.GYRO_ASSETS ?? join(cacheDir, 'assets');
  await ensureAssets(assets);
  const dir = mkdtempSync(join(tmpdir(), 'gyro-load-'));
  const store = join(dir, 'knowledge.bin');
  // A public store with real knowledge: the golden licence documents, learned in-process.
  const learner = new GyroSI(loadInformationEngine(assets, { mode: 'stt-free' }), OrbitStore.open(store));
  for (const line of goldenText('licenses_docs.txt').split('\n')) if (line.trim()) learner.ingest(textToBytes(line));
  learner.close();

  // Each server has its own agents folder, so neither starts with the other's learning.
  const startServer = (name: string, extra: string[] = []) =>
    startServerProcess({ storeDir: dir, args: [...serveArgs({ assets, agents: join(dir, `agents-${name}`) }), ...extra] });
  const plain = await startServer('plain');
  const keyed = await startServer('keyed', ['--api-key', API_KEY]);
  const redis = await startRedisServer();
  const viaRedis = await startServer('redis', ['--memory', redis.url, ...(process.env.LOAD_REDIS_ARGS ?? '').split(' ').filter(Boolean)]);
  const url = plain.url;
  const rss = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^gyro_process_resident_memory_bytes (\d+)/m.exec(text)![1]);
  };
  // One conversation per prompt (8 end-users), so turns spread over the workers.
  const requestsWith = (headers: Record<string, string>) =>
    PROMPTS.map((content, i) => ({
      method: 'POST' as const,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gyrosi-baby', user: `load-${i}`, messages: [{ role: 'user', content }] }),
    }));
  const requests = requestsWith({});
  const keyedRequests = requestsWith({ authorization: `Bearer ${API_KEY}` });
  const run = (duration: number) => autocannon({ url, connections, duration, requests });
  const runKeyed = (duration: number) => autocannon({ url: keyed.url, connections, duration, requests: keyedRequests });
  const runRedis = (duration: number) => autocannon({ url: viaRedis.url, connections, duration, requests });

  await run(3); // warm-up: agents created, caches filled
  await runKeyed(3);
  await runRedis(3);

  // First, both servers equally warm: with and without the key, alternating slices: requests answered per second over each side's slices.
  const fresh = () => ({ requests: 0, seconds: 0, p50: [] as number[], p99: [] as number[], errors: 0 });
  const side = { plain: fresh(), keyed: fresh(), redis: fresh() };
  for (let i = 0; i < slices; i++) {
    // Who goes first rotates too, so no side always runs on the warmer (or busier) part.
    const order = [
      ['plain', run],
      ['keyed', runKeyed],
      ['redis', runRedis],
    ] as const;
    for (const [name, go] of [...order.slice(i % 3), ...order.slice(0, i % 3)]) {
      const r = await go(sliceSeconds);
      const s = side[name];
      s.requests += r.requests.total;
      s.seconds += sliceSeconds;
      s.p50.push(r.latency.p50);
      s.p99.push(r.latency.p99);
      s.errors += r.errors + r.timeouts + r.non2xx;
    }
  }
  // Then the keyless server alone for the main figures.
  const samples: number[] = [await rss()];
  const sampler = setInterval(() => void rss().then((v) => samples.push(v)), 1000);
  // /health round trips while the workers are busy with the load: the HTTP thread's latency
  // (the test suite only checks that /health answers before the running turns finish).
  const healthMs: number[] = [];
  let loaded = true;
  const probing = (async () => {
    while (loaded) {
      const t0 = performance.now();
      await (await fetch(`${url}/health`)).text();
      healthMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await run(seconds);
  loaded = false;
  await probing;
  clearInterval(sampler);
  samples.push(await rss());

  const memory = await tenTurns(viaRedis.url, redis.url);
  await plain.stop();
  await keyed.stop();
  await viaRedis.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  const rate = (s: typeof side.plain) => s.requests / s.seconds;
  const ratio = rate(side.keyed) / rate(side.plain);
  const redisRatio = rate(side.redis) / rate(side.plain);

  const errors = result.errors + result.timeouts + result.non2xx;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  // Memory is judged by its trend, not two single samples: one sample lands anywhere in the
  // garbage collector's cycle, which alone moved a start → end comparison by -0.3 to +5.5 %
  // between runs. Median of the first third of the run's samples against the last third.
  const third = Math.max(1, Math.floor(samples.length / 3));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const rssStart = median(samples.slice(0, third));
  const rssEnd = median(samples.slice(-third));
  const growth = (rssEnd - rssStart) / rssStart;
  const peak = Math.max(...samples);
  const sorted = [...healthMs].sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  report('@gyro/adapter', [
    {
      id: 'chat-rate',
      figure: `chat completions/s (${connections} connections, ${seconds} s, short prompts)`,
      value: result.requests.average.toFixed(0),
      goal: '≥ 200',
      pass: result.requests.average >= 200,
    },
    {
      id: 'latency',
      figure: 'latency p50 / p99',
      value: `${result.latency.p50} ms / ${result.latency.p99} ms`,
      goal: 'p99 ≤ 100 ms',
      pass: result.latency.p99 <= 100,
    },
    { id: 'errors', figure: 'errors (connection errors + timeouts + non-2xx)', value: String(errors), goal: '0', pass: errors === 0 },
    {
      id: 'rss',
      figure: `server RSS, median of the first → last third of ${samples.length} samples (peak)`,
      value: `${mb(rssStart)} → ${mb(rssEnd)} (${mb(peak)}), ${(growth * 100).toFixed(1)} %`,
      goal: 'flat (< 5 % growth)',
      pass: growth < 0.05,
    },
    { id: 'requests', figure: 'requests answered', value: String(result.requests.total), goal: '', pass: undefined },
    {
      id: 'health-latency',
      figure: `GET /health under that load: p50 / p99 / max (${sorted.length} probes, 50 ms apart)`,
      value: `${pct(0.5).toFixed(1)} / ${pct(0.99).toFixed(1)} / ${sorted.at(-1)!.toFixed(1)} ms`,
      goal: 'p99 ≤ 50 ms',
      pass: pct(0.99) <= 50,
    },
    {
      id: 'api-key-rate',
      figure: `with an API key: chat completions/s, ratio to without (${slices}× ${sliceSeconds} s each, alternating)`,
      value: `${rate(side.keyed).toFixed(0)} vs ${rate(side.plain).toFixed(0)}: ${ratio.toFixed(3)}`,
      goal: '≥ 0.90',
      pass: ratio >= 0.9,
    },
    {
      id: 'api-key-latency',
      figure: 'with an API key: p99 (median over slices), errors',
      value: `${median(side.keyed.p99)} ms (without: ${median(side.plain.p99)} ms), ${side.keyed.errors} errors`,
      goal: '0 errors',
      pass: side.keyed.errors === 0,
    },
    {
      id: 'redis-rate',
      figure: `with --memory redis://…: chat completions/s, ratio to files (same ${slices}× ${sliceSeconds} s slices)`,
      value: `${rate(side.redis).toFixed(0)} vs ${rate(side.plain).toFixed(0)}: ${redisRatio.toFixed(2)}`,
      goal: '≥ 0.5',
      pass: redisRatio >= 0.5,
    },
    {
      id: 'redis-latency',
      figure: `with --memory redis://…: p50 / p99 (medians over slices), errors`,
      value: `${median(side.redis.p50)} ms / ${median(side.redis.p99)} ms (files: ${median(side.plain.p50)} / ${median(side.plain.p99)} ms), ${side.redis.errors} errors`,
      goal: `p99 ≤ 50 ms at ${connections} connections, 0 errors`,
      pass: median(side.redis.p99) <= 50 && side.redis.errors === 0,
    },
    {
      id: 'redis-memory-per-agent',
      figure: 'Redis memory per agent after a 10-turn conversation (MEMORY USAGE of its log + meta keys; log bytes)',
      value: `${Math.round(memory.bytes / memory.agents)} B (log ${Math.round(memory.logBytes / memory.agents)} B), ${memory.agents} agents`,
      goal: '',
      pass: undefined,
    },
  ]);
}

/** A 10-turn conversation of a fresh user (the whole history each turn, as a client sends it), then the Redis memory of its agents. */
async function tenTurns(url: string, redisUrl: string): Promise<{ bytes: number; logBytes: number; agents: number }> {
  const history: Array<{ role: string; content: string }> = [];
  for (let i = 0; i < 10; i++) {
    history.push({ role: 'user', content: PROMPTS[i % PROMPTS.length]! });
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gyrosi-baby', user: 'ten-turns', messages: history }),
    });
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    history.push({ role: 'assistant', content: body.choices[0]!.message.content });
  }
  const client = createMemoryClient(redisUrl);
  await client.connect();
  let bytes = 0;
  let logBytes = 0;
  let agents = 0;
  for (const id of ['user-ten-turns', 'assistant-ten-turns', 'system-ten-turns']) {
    const keys = redisKeysOf(id);
    if (Number(await client.exists(keys.log)) === 0) continue;
    agents++;
    logBytes += Number(await client.strLen(keys.log));
    for (const key of [keys.log, keys.meta]) bytes += Number(await client.memoryUsage(key)) || 0;
  }
  await client.close();
  return { bytes, logBytes, agents };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
