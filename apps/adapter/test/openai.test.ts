// The real server, driven by the official openai client (chat, stream, models) and fetch.
import { existsSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTokenizer } from '@gyro/tokenizer';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { readSse } from './sse.js';
import { testArgs } from './test-args.js';

let server: ServerProcess;
let client: OpenAI;
/** completion tokens of every successful turn, to check /metrics exactly. */
let completionTokens = 0;
let turns = 0;
const model = 'gyrosi-baby';
const tok = getTokenizer();

beforeAll(async () => {
  const storeDir = mkdtempSync(join(tmpdir(), 'gyro-adapter-openai-'));
  // An agent directory that cannot be created: a real engine failure for the user "broken".
  mkdirSync(join(storeDir, 'agents'), { recursive: true });
  writeFileSync(join(storeDir, 'agents', 'user-broken'), 'not a directory');
  server = await startServerProcess({ storeDir, args: await testArgs() });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const count = (usage: { completion_tokens: number } | undefined) => {
  completionTokens += usage?.completion_tokens ?? 0;
  turns++;
};

describe('OpenAI routes through the openai client', () => {
  it('lists the model', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual([model]);
    expect((await client.models.retrieve(model)).id).toBe(model);
  });

  it('answers a chat with usage counts', async () => {
    const text = 'hello, how are you today?';
    const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: text }] });
    count(r.usage);
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-/);
    const choice = r.choices[0]!;
    expect(choice.message.role).toBe('assistant');
    expect(typeof choice.message.content).toBe('string');
    expect(['stop', 'length']).toContain(choice.finish_reason);
    // The assistant responds to the encoded text plus one [SEP].
    expect(r.usage!.prompt_tokens).toBe(tok.encode(text).length + 1);
    expect(r.usage!.completion_tokens).toBeGreaterThan(0);
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
  });

  it('honours max_tokens', async () => {
    const r = await client.chat.completions.create({ model, max_tokens: 3, messages: [{ role: 'user', content: 'tell me a long story about the sea' }] });
    count(r.usage);
    expect(r.usage!.completion_tokens).toBeLessThanOrEqual(3);
    if (r.choices[0]!.finish_reason === 'length') expect(r.usage!.completion_tokens).toBe(3);
  });

  it('a seed makes a fresh conversation reproducible', async () => {
    const ask = async (user: string) => {
      const r = await client.chat.completions.create({
        model,
        seed: 42,
        user,
        messages: [{ role: 'user', content: 'the cat sat on the mat and looked at the moon' }],
      });
      count(r.usage);
      return r.choices[0]!.message.content;
    };
    const a = await ask('seed-a');
    expect(await ask('seed-b')).toBe(a);
  });

  it('a seed makes a fresh conversation with a system message reproducible (the system agent is seeded too)', async () => {
    const ask = async (user: string) => {
      const r = await client.chat.completions.create({
        model,
        seed: 42,
        user,
        max_tokens: 12,
        messages: [
          { role: 'system', content: 'you are a sailor who speaks of rivers, ships and the wide salt sea' },
          { role: 'user', content: 'the cat sat on the mat and looked at the moon' },
        ],
      });
      count(r.usage);
      return r.choices[0]!.message.content;
    };
    const replies = [await ask('seed-sys-a'), await ask('seed-sys-b'), await ask('seed-sys-c')];
    expect(new Set(replies).size).toBe(1);
  });

  it('streams: role first, content deltas, finish_reason, usage; deltas add up to the reply', async () => {
    const messages = [{ role: 'user' as const, content: 'where do the rivers go when they reach the sea?' }];
    const stream = await client.chat.completions.create({ model, seed: 7, user: 'stream-a', stream: true, stream_options: { include_usage: true }, messages });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes).toHaveLength(1);
    const usage = chunks.at(-1)!.usage!;
    count(usage);
    expect(chunks.at(-1)!.choices).toEqual([]);
    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
    // The same fresh conversation and seed, not streamed, gives exactly the same text.
    const whole = await client.chat.completions.create({ model, seed: 7, user: 'stream-b', messages });
    count(whole.usage);
    expect(streamed).toBe(whole.choices[0]!.message.content);
    expect(usage.completion_tokens).toBe(whole.usage!.completion_tokens);
  });

  it('streams with ?stream=true and ends in data: [DONE]', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions?stream=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'good morning' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2).choices[0].finish_reason).toMatch(/^(stop|length)$/);
    count(chunks.at(-1).usage);
  });

  it('system messages bootstrap the assistant once; the user gets a triad of agents', async () => {
    const messages = [
      { role: 'system' as const, content: 'you are a patient teacher of astronomy.' },
      { role: 'user' as const, content: 'what is a star?' },
    ];
    count((await client.chat.completions.create({ model, user: 'sys', messages })).usage);
    const systemStore = join(server.storeDir, 'agents', 'system-sys', 'knowledge.bin');
    expect(existsSync(systemStore)).toBe(true);
    const learned = statSync(systemStore).size;
    expect(learned).toBeGreaterThan(0);
    for (const id of ['user-sys', 'assistant-sys']) expect(existsSync(join(server.storeDir, 'agents', id, 'knowledge.bin'))).toBe(true);
    // The assistant has absorbed the bootstrap: a second turn does not run the system agent again.
    const again = await client.chat.completions.create({
      model,
      user: 'sys',
      messages: [...messages, { role: 'assistant', content: 'a ball of hot gas.' }, { role: 'user', content: 'and a planet?' }],
    });
    count(again.usage);
    expect(statSync(systemStore).size).toBe(learned);
  });

  it('an engine failure is a 500 with the reason, never an invented reply', async () => {
    const err = await client.chat.completions.create({ model, user: 'broken', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(500);
    expect(e.code).toBe('engine_error');
    expect(e.message).toMatch(/user-broken/);
    // Streamed, a failure before the first chunk is still a plain error response with its status.
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, user: 'broken', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('engine_error');
  });
});

describe('HF, health and metrics through fetch', () => {
  it('POST /generate answers in lower case', async () => {
    const res = await fetch(`${server.url}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: 'The Quick Brown Fox Jumps', parameters: { seed: 3 } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { generated_text: string };
    expect(typeof body.generated_text).toBe('string');
    expect(body.generated_text).toBe(body.generated_text.toLowerCase());
  });

  it('GET /health and GET /ready', async () => {
    const h = await fetch(`${server.url}/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok', ready: true });
    const r = await fetch(`${server.url}/ready`);
    expect(r.status).toBe(200);
  });

  it('GET /metrics is Prometheus text with requests, latencies, tokens and engine figures', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      if (!line) throw new Error(`no series ${series} in\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    expect(value('gyro_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}')).toBeGreaterThanOrEqual(turns);
    expect(value('gyro_http_requests_total{route="/v1/chat/completions",method="POST",status="500"}')).toBe(2);
    expect(value('gyro_http_request_duration_seconds_count{route="/v1/chat/completions"}')).toBeGreaterThanOrEqual(turns);
    expect(value('gyro_turn_outcomes_total{outcome="engine"}')).toBe(2);
    expect(value('gyro_candidate_cache_hits_total') + value('gyro_candidate_cache_misses_total')).toBeGreaterThan(0);
    expect(value('gyro_generated_tokens_total')).toBeGreaterThan(0);
    for (const name of [
      'gyro_candidate_cache_updates_total',
      'gyro_generation_fallbacks_total',
      'gyro_budget_cutoffs_total',
      'gyro_turns_in_flight{worker="0"}',
    ])
      expect(value(name)).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/# TYPE gyro_turn_duration_seconds histogram/);
    // Every answered turn's usage is counted (plus the /generate turn, which reports none).
    expect(value('gyro_completion_tokens_total')).toBeGreaterThan(completionTokens);
    expect(value('gyro_turn_outcomes_total{outcome="ok"}')).toBe(turns + 1);
  });

  it('GET /metrics keeps every gyro_* series and adds the standard process and Node.js metrics (prom-client)', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const gyro = {
      gyro_http_requests_total: 'counter',
      gyro_http_request_duration_seconds: 'histogram',
      gyro_turn_duration_seconds: 'histogram',
      gyro_prompt_tokens_total: 'counter',
      gyro_completion_tokens_total: 'counter',
      gyro_http_connections_dropped_total: 'counter',
      gyro_candidate_cache_hits_total: 'counter',
      gyro_candidate_cache_misses_total: 'counter',
      gyro_candidate_cache_updates_total: 'counter',
      gyro_generation_fallbacks_total: 'counter',
      gyro_budget_cutoffs_total: 'counter',
      gyro_generated_tokens_total: 'counter',
      gyro_generation_ms_total: 'counter',
      gyro_learned_tokens_total: 'counter',
      gyro_engine_turns_total: 'counter',
      gyro_engine_turn_ms_total: 'counter',
      gyro_turn_outcomes_total: 'counter',
      gyro_turns_in_flight: 'gauge',
      gyro_process_resident_memory_bytes: 'gauge',
    };
    for (const [name, type] of Object.entries(gyro)) expect(types.get(name), name).toBe(type);
    const defaults = {
      process_cpu_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      process_start_time_seconds: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_version_info: 'gauge',
    };
    for (const [name, type] of Object.entries(defaults)) expect(types.get(name), name).toBe(type);
    const cpu = Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)![1]);
    expect(cpu).toBeGreaterThan(0); // the server has loaded an engine and answered turns
  });
});

describe('no CORS unless configured', () => {
  it('a preflight gets no CORS headers when no --cors-origin was given', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).toBe(404);
  });
});
