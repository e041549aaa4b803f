// OpenAI generation parameters through the official openai client against the real server:
// temperature/top_p, stop, logprobs, refusals, /v1/completions, and /generate's TGI parameters.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnedStoreDir } from './learned-store.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { testArgs } from './test-args.js';

let server: ServerProcess;
let client: OpenAI;
const model = 'gyrosi-baby';
const prompt = 'the software is provided as is, without warranty of any kind';
let users = 0;
/** A user id never seen before: a fresh triad, so its replies depend on the public store alone. */
const fresh = () => `fresh-${process.pid}-${++users}`;
const ask = (extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) =>
  client.chat.completions.create({ model, user: fresh(), max_tokens: 40, messages: [{ role: 'user', content: prompt }], ...extra });

beforeAll(async () => {
  server = await startServerProcess({ storeDir: await learnedStoreDir('gyro-adapter-params-'), args: await testArgs() });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
}, 300_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('temperature and top_p', () => {
  it('temperature 0 gives the same reply to two fresh users, plain and streamed', async () => {
    const a = await ask({ temperature: 0 });
    const b = await ask({ temperature: 0 });
    expect(a.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(b.usage).toEqual(a.usage);
    let streamed = '';
    for await (const c of await client.chat.completions.create({
      model,
      user: fresh(),
      max_tokens: 40,
      temperature: 0,
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    }))
      streamed += c.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(a.choices[0]!.message.content);
  });

  it('sampling (temperature 1.5, top_p 0.9) is accepted and stays in range; out-of-range values are a 400', async () => {
    const r = await ask({ temperature: 1.5, top_p: 0.9 });
    expect(r.choices[0]!.finish_reason).toMatch(/^(stop|length)$/);
    await expect(ask({ temperature: 2.5 })).rejects.toMatchObject({ status: 400, param: 'temperature' });
    await expect(ask({ top_p: 1.5 })).rejects.toMatchObject({ status: 400, param: 'top_p' });
  });
});

describe('stop', () => {
  it('ends the reply before the first occurrence, finish_reason stop, plain and streamed', async () => {
    const whole = (await ask({ temperature: 0 })).choices[0]!.message.content!;
    expect(whole.length).toBeGreaterThanOrEqual(4); // the learned store answers in words
    const stop = whole.slice(Math.floor(whole.length / 2) - 1, Math.floor(whole.length / 2) + 1);
    const expected = whole.slice(0, whole.indexOf(stop));
    expect(expected.length).toBeGreaterThan(0);
    const cut = await ask({ temperature: 0, stop: [stop, 'never in any reply'] });
    expect(cut.choices[0]!.message.content).toBe(expected);
    expect(cut.choices[0]!.finish_reason).toBe('stop');
    const chunks: string[] = [];
    let finish: string | null = null;
    for await (const c of await client.chat.completions.create({
      model,
      user: fresh(),
      max_tokens: 40,
      temperature: 0,
      stop,
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    })) {
      if (c.choices[0]?.delta.content) chunks.push(c.choices[0].delta.content);
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks.join('')).toBe(expected);
    for (let i = 1; i <= chunks.length; i++) expect(chunks.slice(0, i).join('')).not.toContain(stop);
    expect(finish).toBe('stop');
  });

  it('refuses more than 4 stop strings or an empty one', async () => {
    await expect(ask({ stop: ['a', 'b', 'c', 'd', 'e'] })).rejects.toMatchObject({ status: 400 });
    await expect(ask({ stop: '' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('logprobs', () => {
  it('returns each generated token with its logprob and top alternatives, sorted, a distribution', async () => {
    const r = await ask({ temperature: 1, logprobs: true, top_logprobs: 3 });
    const content = r.choices[0]!.logprobs!.content!;
    expect(content).toHaveLength(r.usage!.completion_tokens);
    for (const t of content) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.bytes).toEqual([...Buffer.from(t.token)]);
      expect(t.top_logprobs.length).toBeGreaterThan(0);
      expect(t.top_logprobs.length).toBeLessThanOrEqual(3);
      expect(t.top_logprobs.reduce((s, a) => s + Math.exp(a.logprob), 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (let i = 1; i < t.top_logprobs.length; i++) expect(t.top_logprobs[i]!.logprob).toBeLessThanOrEqual(t.top_logprobs[i - 1]!.logprob);
      const listed = t.top_logprobs.find((a) => a.token === t.token);
      expect(listed ? listed.logprob : t.logprob).toBe(t.logprob);
    }
    // Some choice was a real draw (a logprob strictly between ln 0 and ln 1).
    expect(content.some((t) => t.logprob < 0 && t.logprob > -9999)).toBe(true);
  });

  it('greedy tokens have probability 1; streamed chunks carry the logprobs of their tokens', async () => {
    const g = await ask({ temperature: 0, logprobs: true });
    expect(g.choices[0]!.logprobs!.content!.every((t) => t.logprob === 0 && t.top_logprobs.length === 0)).toBe(true);
    let n = 0;
    let usage = 0;
    for await (const c of await client.chat.completions.create({
      model,
      user: fresh(),
      max_tokens: 12,
      logprobs: true,
      top_logprobs: 2,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: prompt }],
    })) {
      n += c.choices[0]?.logprobs?.content?.length ?? 0;
      usage = c.usage?.completion_tokens ?? usage;
    }
    expect(n).toBe(usage);
    expect(n).toBeGreaterThan(0);
    await expect(ask({ top_logprobs: 2 })).rejects.toMatchObject({ status: 400, param: 'top_logprobs' });
    await expect(ask({ logprobs: true, top_logprobs: 21 })).rejects.toMatchObject({ status: 400 });
  });
});

describe('parameters this server cannot honour are a 400 unsupported_parameter naming them', () => {
  const fn = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } };
  it.each([
    ['response_format', { response_format: { type: 'json_object' as const } }],
    ['tools', { tools: [fn] }],
    ['tool_choice', { tool_choice: 'required' as const }],
    ['n', { n: 2 }],
    ['logit_bias', { logit_bias: { '2057': 5 } }],
    ['presence_penalty', { presence_penalty: 0.5 }],
  ])('%s', async (param, extra) => {
    await expect(ask(extra as Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>)).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_parameter',
      param,
    });
  });

  it('accepts the neutral values (text format, no tools, tool_choice none, n 1, zero penalties)', async () => {
    const r = await ask({ response_format: { type: 'text' }, tools: [], tool_choice: 'none', n: 1, presence_penalty: 0, frequency_penalty: 0, logit_bias: {} });
    expect(r.choices).toHaveLength(1);
  });
});

describe('POST /v1/completions', () => {
  it('completes a prompt string (plain and streamed alike at temperature 0) and an array of prompts, one choice each', async () => {
    const one = await client.completions.create({ model, user: fresh(), prompt, max_tokens: 20, temperature: 0 });
    expect(one.object).toBe('text_completion');
    expect(one.id).toMatch(/^cmpl-/);
    expect(one.choices).toHaveLength(1);
    expect(one.choices[0]!.text.length).toBeGreaterThan(0);
    expect(one.usage!.completion_tokens).toBeGreaterThan(0);
    let streamed = '';
    let finish: string | null = null;
    for await (const c of await client.completions.create({ model, user: fresh(), prompt, max_tokens: 20, temperature: 0, stream: true })) {
      streamed += c.choices[0]?.text ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(streamed).toBe(one.choices[0]!.text);
    expect(finish).toBe(one.choices[0]!.finish_reason);
    const two = await client.completions.create({ model, user: fresh(), prompt: [prompt, 'permission is hereby granted'], max_tokens: 6 });
    expect(two.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(two.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('honours max_tokens, stop and logprobs (legacy shape)', async () => {
    const r = await client.completions.create({ model, user: fresh(), prompt, max_tokens: 3, temperature: 0.8, logprobs: 2 });
    expect(r.usage!.completion_tokens).toBeLessThanOrEqual(3);
    const lp = r.choices[0]!.logprobs!;
    expect(lp.tokens).toHaveLength(r.usage!.completion_tokens);
    expect(lp.token_logprobs).toHaveLength(lp.tokens!.length);
    expect(lp.text_offset![0]).toBe(0);
    for (const top of lp.top_logprobs!) expect(Object.keys(top).length).toBeLessThanOrEqual(2);
    const whole = (await client.completions.create({ model, user: fresh(), prompt, max_tokens: 30, temperature: 0 })).choices[0]!.text;
    expect(whole.length).toBeGreaterThanOrEqual(4);
    const stop = whole.slice(1, 3);
    const cut = await client.completions.create({ model, user: fresh(), prompt, max_tokens: 30, temperature: 0, stop });
    expect(cut.choices[0]!.text).toBe(whole.slice(0, whole.indexOf(stop)));
    expect(cut.choices[0]!.finish_reason).toBe('stop');
  });

  it('refuses what it cannot do, and an empty prompt', async () => {
    await expect(client.completions.create({ model, prompt, n: 2 })).rejects.toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'n' });
    await expect(client.completions.create({ model, prompt, echo: true })).rejects.toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'echo' });
    await expect(client.completions.create({ model, prompt, suffix: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_parameter',
      param: 'suffix',
    });
    await expect(client.completions.create({ model, prompt: [prompt, ' '] })).rejects.toMatchObject({ status: 400, code: 'empty_content', param: 'prompt[1]' });
    await expect(client.completions.create({ model: 'other', prompt })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});

describe('POST /generate (TGI parameters)', () => {
  const generate = async (parameters: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: prompt, parameters }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        generated_text: string;
        details?: {
          finish_reason: string;
          generated_tokens: number;
          tokens: Array<{ id: number; text: string; logprob: number; special: boolean }>;
          top_tokens?: unknown[][];
        };
      },
    };
  };

  it('details: the finish reason and every generated token with its logprob (top_n_tokens alternatives)', async () => {
    const r = await generate({ max_new_tokens: 4, temperature: 0.9, top_p: 0.95, details: true, top_n_tokens: 2 });
    expect(r.status).toBe(200);
    const d = r.body.details!;
    expect(d.generated_tokens).toBeLessThanOrEqual(4);
    expect(d.tokens).toHaveLength(d.generated_tokens);
    expect(d.top_tokens).toHaveLength(d.generated_tokens);
    for (const t of d.tokens) expect(t.logprob).toBeLessThanOrEqual(0);
    expect(['length', 'eos_token']).toContain(d.finish_reason);
    expect((await generate({ max_new_tokens: 4 })).body.details).toBeUndefined();
  });

  it('stop ends the text before the stop string (finish_reason stop_sequence when it was met)', async () => {
    const r = await generate({ max_new_tokens: 30, temperature: 0, stop: [' '], details: true });
    expect(r.body.generated_text).not.toContain(' ');
    expect(['stop_sequence', 'eos_token']).toContain(r.body.details!.finish_reason);
    expect((await generate({ temperature: -1 })).status).toBe(400);
  });
});
