import { InvalidPreferenceError } from './errors.js';
/**
 * Every tunable of learning, generation, the stop policy and the pool, with the defaults of the
 * reference (SPEC §6). Callers pass a partial object; `resolvePreferences` fills the rest and
 * rejects values that cannot work.
 */
export type EvictionPolicy = 'lru' | 'lfu' | 'ttl';

export interface Preferences {
  /** Stop policy (SPEC §6.4): target = clamp(floor(ratio·promptTokens + 2), min, max). */
  replyLenRatio: number;
  minReplyTokens: number;
  maxReplyTokens: number;
  /** Wall-time guard of one reply, in milliseconds (reference: 2 s). */
  maxWallTimeMs: number;
  /** θ settling: stop when the population std of the last 8 θ values is below this. */
  thetaStdEpsilon: number;

  /** Temperature from θ: T = floor + (cap − floor)·σ(10·(θ − thetaLow)). */
  temperatureFloor: number;
  temperatureCap: number;
  thetaLow: number;

  /** Candidate retrieval (SPEC §6.3). */
  candidatesPerState: number;
  scanLimit: number;
  scanBudgetMs: number;
  /** Representatives whose candidate lists stay cached per engine (LRU beyond this). */
  candidateCacheSize: number;

  /** A token buffer that reaches this many bytes without a terminator is discarded. */
  maxTokenBytes: number;
  /** Prompts (respond/ingest input) above this many bytes are refused with InputTooLargeError. */
  maxInputBytes: number;

  /** Store write batching for stores the agent or pool opens itself. */
  writeThreshold: number;

  /** Pool (SPEC §6.4). */
  maxAgentsInMemory: number;
  agentEvictionPolicy: EvictionPolicy;
  agentTtlMinutes: number;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  replyLenRatio: 1.2,
  minReplyTokens: 8,
  maxReplyTokens: 96,
  maxWallTimeMs: 2000,
  thetaStdEpsilon: 0.01,
  temperatureFloor: 0.1,
  temperatureCap: 1.0,
  thetaLow: 0.05,
  candidatesPerState: 100,
  scanLimit: 512,
  scanBudgetMs: 20,
  candidateCacheSize: 256,
  maxTokenBytes: 1024,
  maxInputBytes: 64 * 1024 * 1024,
  writeThreshold: 100,
  maxAgentsInMemory: 1000,
  agentEvictionPolicy: 'lru',
  agentTtlMinutes: 30,
});

const positiveIntegers: Array<keyof Preferences> = [
  'minReplyTokens',
  'maxReplyTokens',
  'candidatesPerState',
  'scanLimit',
  'candidateCacheSize',
  'maxTokenBytes',
  'maxInputBytes',
  'writeThreshold',
  'maxAgentsInMemory',
];
const nonNegativeNumbers: Array<keyof Preferences> = [
  'replyLenRatio',
  'maxWallTimeMs',
  'thetaStdEpsilon',
  'temperatureFloor',
  'temperatureCap',
  'scanBudgetMs',
  'agentTtlMinutes',
];

/** Some preferences; a key left out or set to undefined takes its default. */
export type PreferenceOverrides = { [K in keyof Preferences]?: Preferences[K] | undefined };

export function resolvePreferences(partial: PreferenceOverrides = {}): Preferences {
  const p: Preferences = { ...DEFAULT_PREFERENCES, ...stripUndefined(partial) };
  for (const k of positiveIntegers) {
    const v = p[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new InvalidPreferenceError(k, `preference ${k} must be a positive integer, got ${String(v)}`);
  }
  for (const k of nonNegativeNumbers) {
    const v = p[k] as number;
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      throw new InvalidPreferenceError(k, `preference ${k} must be a finite number ≥ 0, got ${String(v)}`);
  }
  if (!Number.isFinite(p.thetaLow)) throw new InvalidPreferenceError('thetaLow', `preference thetaLow must be finite, got ${p.thetaLow}`);
  if (p.minReplyTokens > p.maxReplyTokens)
    throw new InvalidPreferenceError('minReplyTokens', `minReplyTokens (${p.minReplyTokens}) exceeds maxReplyTokens (${p.maxReplyTokens})`);
  if (!['lru', 'lfu', 'ttl'].includes(p.agentEvictionPolicy))
    throw new InvalidPreferenceError('agentEvictionPolicy', `agentEvictionPolicy must be lru, lfu or ttl, got ${String(p.agentEvictionPolicy)}`);
  return p;
}

function stripUndefined(o: PreferenceOverrides): Partial<Preferences> {
  const out: Partial<Preferences> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
