// Streamed and plain replies of the same turn are the same text, for 40 seeds. The prompt is
// full of word pieces, so the agent (whose store holds little else) often starts its reply with
// a `##` piece: the tokenizer's decode would keep that "##", the stream never had it, and the
// stream's ending used to be dropped when the two disagreed. Scans get no time budget here, so a
// busy machine cannot make the two runs of a turn choose differently.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

let server: ServerProcess;
let client: OpenAI;

beforeAll(async () => {
  const prefs = join(mkdtempSync(join(tmpdir(), 'gyro-prefs-')), 'preferences.json');
  writeFileSync(prefs, JSON.stringify({ agent: { scanBudgetMs: 60_000, maxWallTimeMs: 60_000 } }));
  server = await startServerProcess({ args: [...(await testArgs('stt-free')), '--preferences', prefs] });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
}, 240_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

it('streamed and plain replies are equal for 40 seeds, replies that start with a ## piece included', async () => {
  const messages = [{ role: 'user' as const, content: 'unbelievably, antidisestablishmentarianism tokenizes into pieces: ##ing ##ly ##ness' }];
  const model = 'gyrosi-baby';
  const pair = async (seed: number) => {
    // Fresh conversations on both sides and the same seed: the same turn, once streamed.
    const stream = await client.chat.completions.create({ model, seed, user: `eq-s-${seed}`, stream: true, messages });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    const plain = await client.chat.completions.create({ model, seed, user: `eq-p-${seed}`, messages });
    return { seed, streamed, plain: plain.choices[0]!.message.content! };
  };
  const results = [];
  for (let seed = 1; seed <= 40; seed += 4) results.push(...(await Promise.all([seed, seed + 1, seed + 2, seed + 3].map(pair))));
  for (const r of results) expect(r.streamed, `seed ${r.seed}`).toBe(r.plain);
  // The decision for a leading continuation piece: shown without its "##".
  for (const r of results) expect(r.plain, `seed ${r.seed}`).not.toMatch(/^##/);
  expect(new Set(results.map((r) => r.plain)).size).toBeGreaterThan(30); // the seeds really differ
}, 180_000);
