/**
 * Instrumentation (SPEC §9). Counters are objects of numbers so the adapter can export them as
 * metrics as they are. Every engine keeps its own counters (an EngineCounters), whose one call
 * per event adds it to the process-wide `metrics` too. The probe switch (env GYRO_PROBE=N, or `setProbeLimit(N)`) prints
 * one line per timed call to stderr for the first N calls of each kind.
 */
export interface Counters {
  /** Complete, well-formed tokens other than [SEP] that went through the learning rule. */
  tokensLearned: number;
  /** Store writes made by learning (new entries plus changed ones). */
  learnWrites: number;
  /** Well-formed tokens that completed (including [SEP]). */
  tokens: number;
  /** Bytes absorbed by egress. */
  bytes: number;
  /** Tokens dropped because their LEB128 form was over 5 bytes or their id ≥ 2^32. */
  malformed: number;
  /** Unterminated token buffers discarded on reaching maxTokenBytes. */
  oversize: number;
  /** Hooks that threw (reported, never fatal). */
  hookErrors: number;
  cacheHits: number;
  cacheMisses: number;
  /** Cache entries kept valid by applying the engine's own write to them. */
  cacheUpdates: number;
  /** Candidate scans stopped by the time budget. */
  budgetCutoffs: number;
  /** Tokens drawn at random because a state had no candidates. */
  fallbacks: number;
  generatedTokens: number;
  generationMs: number;
  turns: number;
  turnMs: number;
}

export function newCounters(): Counters {
  return {
    tokensLearned: 0,
    learnWrites: 0,
    tokens: 0,
    bytes: 0,
    malformed: 0,
    oversize: 0,
    hookErrors: 0,
    cacheHits: 0,
    cacheMisses: 0,
    cacheUpdates: 0,
    budgetCutoffs: 0,
    fallbacks: 0,
    generatedTokens: 0,
    generationMs: 0,
    turns: 0,
    turnMs: 0,
  };
}

/** Process-wide totals of every engine's counters (what /metrics exports). */
export const metrics: Counters = newCounters();

/**
 * One engine's counters. Each event is counted by one call, which bumps this engine's counter
 * and the process-wide `metrics` alike, so the two cannot drift. One method per event rather
 * than a `count(name)`: a property chosen by a string at run time is a megamorphic keyed store
 * in V8 (~40 ns against ~1 ns), and learning counts three events per token. Fields stay plain
 * numbers, so the object spreads and serialises as a Counters.
 */
export class EngineCounters implements Counters {
  tokensLearned = 0;
  learnWrites = 0;
  tokens = 0;
  bytes = 0;
  malformed = 0;
  oversize = 0;
  hookErrors = 0;
  cacheHits = 0;
  cacheMisses = 0;
  cacheUpdates = 0;
  budgetCutoffs = 0;
  fallbacks = 0;
  generatedTokens = 0;
  generationMs = 0;
  turns = 0;
  turnMs = 0;

  /** `n` bytes absorbed by egress (the bulk path counts a whole call at once). */
  absorbed(n: number): void {
    this.bytes += n;
    metrics.bytes += n;
  }
  /** A well-formed token completed ([SEP] included). */
  token(): void {
    this.tokens++;
    metrics.tokens++;
  }
  /** A token went through the learning rule; `wrote` when the store changed. */
  learned(wrote: boolean): void {
    this.tokensLearned++;
    metrics.tokensLearned++;
    if (wrote) {
      this.learnWrites++;
      metrics.learnWrites++;
    }
  }
  /** A token dropped: over-long LEB128 form or id (`malformed`), or an unterminated buffer cut at maxTokenBytes. */
  dropped(malformed: boolean): void {
    if (malformed) {
      this.malformed++;
      metrics.malformed++;
    } else {
      this.oversize++;
      metrics.oversize++;
    }
  }
  /** A hook threw (reported, never fatal). */
  hookError(): void {
    this.hookErrors++;
    metrics.hookErrors++;
  }
  /** A candidate-list lookup: served from the cache, or scanned (and then maybe cut by the time budget). */
  cacheLookup(hit: boolean): void {
    if (hit) {
      this.cacheHits++;
      metrics.cacheHits++;
    } else {
      this.cacheMisses++;
      metrics.cacheMisses++;
    }
  }
  /** A cached candidate list kept valid by applying the engine's own write to it. */
  cacheUpdate(): void {
    this.cacheUpdates++;
    metrics.cacheUpdates++;
  }
  /** A candidate scan stopped by the time budget. */
  budgetCutoff(): void {
    this.budgetCutoffs++;
    metrics.budgetCutoffs++;
  }
  /** A token drawn at random because its state had no candidates. */
  fallback(): void {
    this.fallbacks++;
    metrics.fallbacks++;
  }
  /** A token generated in `ms` (choice, feedback and learning). */
  generated(ms: number): void {
    this.generatedTokens++;
    this.generationMs += ms;
    metrics.generatedTokens++;
    metrics.generationMs += ms;
  }
  /** A turn answered in `ms`. */
  turn(ms: number): void {
    this.turns++;
    this.turnMs += ms;
    metrics.turns++;
    metrics.turnMs += ms;
  }
}

/** A copy of the process-wide counters (safe to serialise or diff). */
export function metricsSnapshot(): Counters {
  return { ...metrics };
}

export type ProbeKind = 'candidates' | 'feedback' | 'tokenizer';

let probeLimit = parseProbeEnv(process.env.GYRO_PROBE);
const probeSeen: Record<ProbeKind, number> = { candidates: 0, feedback: 0, tokenizer: 0 };
let probeSink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

function parseProbeEnv(v: string | undefined): number {
  if (!v) return 0;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Turn the probe on for the first `n` calls of each kind (0 turns it off); resets the tallies. */
export function setProbeLimit(n: number, sink?: (line: string) => void): void {
  probeLimit = Math.max(0, Math.floor(n));
  probeSeen.candidates = probeSeen.feedback = probeSeen.tokenizer = 0;
  if (sink) probeSink = sink;
}

/** True when a timing of this kind should be taken (cheap check for hot paths). */
export function probeActive(kind: ProbeKind): boolean {
  return probeLimit > 0 && probeSeen[kind] < probeLimit;
}

/** Print one probe line (call only when probeActive(kind) was true before timing). */
export function probeReport(kind: ProbeKind, ms: number, detail: string): void {
  if (probeSeen[kind] >= probeLimit) return;
  probeSeen[kind]++;
  probeSink(`[probe] ${kind} ${ms.toFixed(3)} ms ${detail}`);
}

/** Time a tokenizer call under the probe (a no-op wrapper when the probe is off). */
export function probeTokenizer<T>(what: string, fn: () => T): T {
  if (!probeActive('tokenizer')) return fn();
  const t0 = performance.now();
  const out = fn();
  probeReport('tokenizer', performance.now() - t0, what);
  return out;
}
