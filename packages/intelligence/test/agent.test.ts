import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformationEngine } from '@gyro/information';
import { testEngine } from '@gyro/information/testing';
import { OrbitStore } from '@gyro/store';
import { SEP_ID } from '@gyro/tokenizer';
import { ClosedError, GyroSI, InputTooLargeError, InvalidArgumentError, type Preferences } from '../src/index.js';
import { freshStore, licensesStream, tempDir } from './support.js';

describe('GyroSI agent (SPEC §6.4)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  let n = 0;
  const { bytes } = licensesStream();

  function agent(preferences: Partial<Preferences> = {}, seed = 11): GyroSI {
    const a = new GyroSI(info, freshStore(tmp.dir, `a${n++}.bin`), { seed, preferences, agentId: `t${n}` });
    a.ingest(bytes);
    return a;
  }

  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  it('ingest learns, commits and reports', () => {
    const store = freshStore(tmp.dir, `ing${n++}.bin`);
    const a = new GyroSI(info, store);
    const r = a.ingest(bytes);
    expect(r).toMatchObject({ bytes: bytes.length, tokens: 22037, malformed: 0, oversize: 0, finalStateIndex: 3524 });
    expect(r.learned).toBe(22037 - 382); // every token but the [SEP]s
    // Committed: a reader of the file sees every record.
    const reader = OrbitStore.open(store.path, { readOnly: true, sidecar: false });
    expect(reader.size).toBe(1954);
    reader.close();
    a.close();
    expect(() => a.ingest(bytes)).toThrow(ClosedError);
  });

  it('stops at maxNewTokens, reports every token to onToken, and learns what it said', () => {
    const a = agent();
    const seen: number[] = [];
    const before = a.store.size;
    const reply = a.respondText('the licence grants permission to copy', { maxNewTokens: 5, onToken: (id) => seen.push(id) });
    expect(reply.tokens).toEqual(seen);
    if (reply.stopReason === 'max-tokens') {
      expect(reply.tokens).toHaveLength(5);
      expect(reply.finishReason).toBe('length');
    } else {
      expect(reply.stopReason).toBe('sep');
      expect(reply.tokens[reply.tokens.length - 1]).toBe(SEP_ID);
    }
    expect(reply.completionTokens).toBe(reply.tokens.length);
    expect(reply.promptTokens).toBe(a.tokenizer.encode('the licence grants permission to copy').length);
    expect(a.store.size).toBeGreaterThanOrEqual(before);
    expect(reply.text).toBe(a.decode(reply.tokens));
    a.close();
  });

  it('reaches the length target and appends [SEP] unless the text ends a sentence', () => {
    const a = agent({ thetaStdEpsilon: 0, maxWallTimeMs: 60_000 });
    const reply = a.respondText('software');
    // 3 prompt tokens: target = clamp(floor(1.2·3 + 2), 8, 96) = 8.
    expect(reply.promptTokens).toBe(3);
    expect(['sep', 'sentence', 'target']).toContain(reply.stopReason);
    if (reply.stopReason === 'target') {
      expect(reply.completionTokens).toBe(8);
      expect(reply.tokens).toHaveLength(9);
      expect(reply.tokens[8]).toBe(SEP_ID);
    }
    if (reply.stopReason === 'sentence') expect(reply.text).toMatch(/[.!?…\n]$/);
    a.close();
  });

  it('the wall-time guard and θ settling each stop a reply with a [SEP]', () => {
    const a = agent({ maxWallTimeMs: 0 });
    const r1 = a.respondText('the program is free software and you can redistribute it');
    expect(['wall-time', 'sep']).toContain(r1.stopReason);
    if (r1.stopReason === 'wall-time') expect(r1.tokens).toEqual([r1.tokens[0], SEP_ID]);
    a.close();
    const b = agent({ thetaStdEpsilon: 10, minReplyTokens: 2 });
    const r2 = b.respondText('the program is free software and you can redistribute it and or modify it');
    expect(['theta-settled', 'sep']).toContain(r2.stopReason);
    if (r2.stopReason === 'theta-settled') {
      expect(r2.completionTokens).toBeGreaterThanOrEqual(2);
      expect(r2.tokens[r2.tokens.length - 1]).toBe(SEP_ID);
    }
    b.close();
  });

  it('isCancelled is checked before every token: the reply stops there with a [SEP] learned', () => {
    const long = { minReplyTokens: 40, maxReplyTokens: 40, thetaStdEpsilon: 0, maxWallTimeMs: 60_000 };
    const a = agent(long);
    let checks = 0;
    const seen: number[] = [];
    // Cancelled once 5 tokens were generated: the 6th check stops it.
    const r = a.respondText('the program is free software and you can redistribute it', {
      onToken: (id) => seen.push(id),
      isCancelled: () => ++checks > 5 && seen.length >= 5,
    });
    expect(r.stopReason).toBe('cancelled');
    expect(r.completionTokens).toBe(5);
    expect(r.tokens).toHaveLength(6);
    expect(r.tokens[5]).toBe(SEP_ID);
    expect(checks).toBe(6);
    // Cancelled before the first token: nothing is generated, the prompt is still learned.
    const size = a.store.size;
    const r0 = a.respondText('a second prompt that is learned all the same', { isCancelled: () => true });
    expect(r0).toMatchObject({ stopReason: 'cancelled', completionTokens: 0, tokens: [SEP_ID] });
    expect(a.store.size).toBeGreaterThan(size);
    a.close();
  });

  it('refuses input over maxInputBytes without learning any of it', () => {
    const a = agent({ maxInputBytes: 50_000 });
    const size = a.store.size;
    const state = a.engine.stateIndex;
    expect(() => a.ingest(new Uint8Array(50_001))).toThrow(InputTooLargeError);
    expect(() => a.respond(new Uint8Array(60_000))).toThrow(InputTooLargeError);
    expect(() => a.respondText('x '.repeat(30_000))).toThrow(InputTooLargeError);
    expect(a.store.size).toBe(size);
    expect(a.engine.stateIndex).toBe(state);
    a.close();
  });

  it('refuses a bad maxNewTokens with a typed error, before learning the prompt', () => {
    const a = agent();
    const size = a.store.size;
    expect(() => a.respond(new Uint8Array([0x2a]), { maxNewTokens: -1 })).toThrow(InvalidArgumentError);
    expect(() => a.respond(new Uint8Array([0x2a]), { maxNewTokens: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(a.store.size).toBe(size);
    a.close();
  });

  it('handles a megabyte prompt', () => {
    const a = agent();
    const big = new Uint8Array(1 << 20);
    for (let i = 0; i < big.length; i += 2) {
      big[i] = (0x80 | (i & 0x7f)) ^ 0xaa;
      big[i + 1] = ((i >>> 7) & 0x7f) ^ 0xaa;
    }
    const reply = a.respond(big, { maxNewTokens: 4 });
    expect(reply.promptTokens).toBe(big.length / 2);
    expect(reply.tokens.length).toBeGreaterThan(0);
    a.close();
  });

  it('maintenance decays confidences and keeps the best tokens per orbit, on its own store', () => {
    const a = agent();
    const before = a.store.get(0, 101)!.conf;
    const r = a.maintenance({ decayRate: 0.01, maxTokensPerOrbit: 10 });
    expect(r.decay[0]!.modified).toBeGreaterThan(0);
    expect(r.orbitEntropy[0]!.modified).toBeGreaterThan(0);
    expect([...a.store.iterKeysForState(0)].length).toBeLessThanOrEqual(10);
    const after = a.store.get(0, 101);
    if (after) expect(after.conf).toBeLessThan(before);
    a.close();
  });

  it('reseed makes replies reproducible from the same knowledge and state', () => {
    const a = agent({ scanBudgetMs: 1e6 });
    const b = agent({ scanBudgetMs: 1e6 });
    a.reseed(99);
    b.reseed(99);
    expect(b.respondText('permission', { maxNewTokens: 10 }).tokens).toEqual(a.respondText('permission', { maxNewTokens: 10 }).tokens);
    a.close();
    b.close();
  });

  it('reports info, resets to the archetype, and keeps knowledge', () => {
    const a = agent();
    const info1 = a.agentInfo();
    expect(info1.stateIndex).toBe(3524);
    expect(info1.stateInteger).toBe(info.stateAt(3524));
    expect(info1.storeEntries).toBe(1954);
    a.reset();
    const info2 = a.agentInfo();
    expect(info2.stateIndex).toBe(info.archetypeIndex);
    expect(info2.thetaRadians).toBe(0);
    expect(info2.storeEntries).toBe(1954);
    a.close();
  });
});

describe('GyroSI sampling overrides (OpenAI temperature, top_p, logprobs, stop)', () => {
  let info: InformationEngine;
  const tmp = tempDir();
  let n = 0;
  const { bytes } = licensesStream();
  function agent(seed: number, preferences: Partial<Preferences> = { scanBudgetMs: 1e6 }): GyroSI {
    const a = new GyroSI(info, freshStore(tmp.dir, `s${n++}.bin`), { seed, preferences, agentId: `s${n}` });
    a.ingest(bytes);
    return a;
  }
  beforeAll(async () => {
    info = await testEngine();
  });
  afterAll(() => tmp.cleanup());

  it('temperature 0 is greedy and deterministic: different seeds, time budgets and wall-time guards give the same reply', () => {
    // b's budgets would cut every scan after 16 entries and every reply after its first token.
    const a = agent(1);
    const b = agent(2, { scanBudgetMs: 0, maxWallTimeMs: 0 });
    const ra = a.respondText('the licence grants permission to copy', { maxNewTokens: 24, temperature: 0 });
    const rb = b.respondText('the licence grants permission to copy', { maxNewTokens: 24, temperature: 0 });
    expect(rb.tokens).toEqual(ra.tokens);
    expect(rb.text).toBe(ra.text);
    // Without the override the seeds make the replies differ (the θ-derived temperature samples).
    const c = agent(1);
    const d = agent(2);
    const prompts = ['permission', 'the software is provided as is', 'copies of the software'];
    const differs = prompts.some((p) => c.respondText(p, { maxNewTokens: 24 }).text !== d.respondText(p, { maxNewTokens: 24 }).text);
    expect(differs).toBe(true);
    for (const x of [a, b, c, d]) x.close();
  });

  it('reports each generated token with its logprob and the top alternatives of the distribution it was drawn from', () => {
    const a = agent(3);
    const r = a.respondText('the licence grants permission to copy', { maxNewTokens: 12, temperature: 1, topLogprobs: 5 });
    expect(r.logprobs).toHaveLength(r.completionTokens);
    r.logprobs!.forEach((lp, i) => {
      expect(lp.token).toBe(r.tokens[i]);
      expect(lp.logprob).toBeLessThanOrEqual(0);
      expect(lp.top.length).toBeLessThanOrEqual(5);
      expect(lp.top.length).toBeGreaterThan(0);
      for (let j = 1; j < lp.top.length; j++) expect(lp.top[j]!.logprob).toBeLessThanOrEqual(lp.top[j - 1]!.logprob);
      expect(lp.top.reduce((s, t) => s + Math.exp(t.logprob), 0)).toBeLessThanOrEqual(1 + 1e-9);
      const listed = lp.top.find((t) => t.token === lp.token);
      if (listed) expect(listed.logprob).toBe(lp.logprob);
      else expect(lp.logprob).toBeLessThanOrEqual(lp.top.at(-1)!.logprob);
    });
    // Greedy: every chosen token has probability 1.
    const g = a.respondText('permission', { maxNewTokens: 6, temperature: 0, topLogprobs: 2 });
    for (const lp of g.logprobs!) expect(lp.logprob).toBe(0);
    expect(a.respondText('permission', { maxNewTokens: 3 }).logprobs).toBeUndefined();
    a.close();
  });

  it('stopAfter ends the reply (stop reason caller, finish stop, [SEP] appended and learned)', () => {
    const a = agent(4);
    const seen: number[] = [];
    const r = a.respondText('the licence grants permission to copy', {
      maxNewTokens: 20,
      temperature: 0,
      onToken: (id) => seen.push(id),
      stopAfter: () => seen.length === 3,
    });
    expect(r.stopReason).toBe('caller');
    expect(r.finishReason).toBe('stop');
    expect(r.completionTokens).toBe(3);
    expect(r.tokens).toEqual([...seen.slice(0, 3), SEP_ID]);
    a.close();
  });

  it('refuses out-of-range sampling options', () => {
    const a = agent(5);
    expect(() => a.respondText('x', { temperature: -1 })).toThrow(InvalidArgumentError);
    expect(() => a.respondText('x', { topP: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => a.respondText('x', { topLogprobs: 21 })).toThrow(InvalidArgumentError);
    a.close();
  });
});
