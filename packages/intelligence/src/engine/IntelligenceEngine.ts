import { KEEP_HALF, XFORM_HALF, type InformationEngine } from '@gyro/information';
import type { Phenotype, PhenotypeStore } from '@gyro/store';
import { addressingOf, confFromHalfBits, type Addressing } from '@gyro/store';
import { getTokenizer, SEP_ID, tokenBytes, type GyroTokenizer } from '@gyro/tokenizer';
import { TOKEN_MALFORMED, TOKEN_PENDING, TokenAssembler } from '../egress/token-assembler.js';
import { ThetaHistory } from '../egress/theta-history.js';
import { FALLBACK, Generator } from '../generation/Generator.js';
import { IMPOSSIBLE_LOGPROB } from '../generation/sampler.js';
import { StateScorer, type ScoreTerms } from '../generation/score.js';
import { DEFAULT_TRACE_TOP, traceChoice, type TokenTrace } from '../generation/trace.js';
import { InferenceEngine, LEARN_SKIPPED } from '../learning/InferenceEngine.js';
import { resolvePreferences, type PreferenceOverrides, type Preferences } from '../preferences.js';
import { EngineCounters, probeActive, probeReport } from '../probes.js';
import { Random } from '../random.js';
import { InvalidArgumentError } from '../errors.js';

/** Runs after each learned token (SPEC §6.1). `stateIndex` is the representative the entry is stored under. */
export type EgressHook = (engine: IntelligenceEngine, entry: Phenotype, lastIntron: number, tokenId: number, stateIndex: number) => void;

export interface IntelligenceEngineOptions {
  preferences?: PreferenceOverrides | undefined;
  /** Seed of the sampler; without one each engine draws a random seed. */
  seed?: number | undefined;
  /** Needed only for the random fallback (ordinary ids); loaded on first use when omitted. */
  tokenizer?: GyroTokenizer | undefined;
  /** Where a throwing hook is reported (default: one line on stderr per hook error, first 5). */
  onHookError?: ((error: unknown, hook: EgressHook) => void) | undefined;
}

/** The bulk path records a middle θ as well when one call carries more than this many bytes. */
const THETA_MID_SAMPLE_BYTES = 1024;

/**
 * Egress and generation (SPEC §6): bytes move the state through the transition table, complete
 * tokens are learned under the representative of the state before their first byte, and
 * generation picks tokens for the current state and feeds them back through bulk egress.
 */
export class IntelligenceEngine {
  readonly preferences: Preferences;
  readonly inference: InferenceEngine;
  readonly generator: Generator;
  readonly counters = new EngineCounters();
  readonly theta = new ThetaHistory();
  readonly random: Random;
  /** How the store keys states (a property of the store; see addressing.ts). */
  readonly addressing: Addressing;
  /**
   * While set, receives the trace of every decision `chooseToken` makes (the look-inside view
   * of a reply), listing the best `traceTop` candidates. Unset, tracing costs one check per token.
   */
  tracer: ((trace: TokenTrace) => void) | undefined;
  traceTop = DEFAULT_TRACE_TOP;
  /** Current state index. */
  stateIndex: number;
  /** Bytes absorbed since creation or the last reset. */
  cycleCount = 0;
  private readonly assembler: TokenAssembler;
  private readonly stt: Int32Array | null;
  private readonly halves: Int32Array;
  private readonly thetaTable: Float32Array;
  private readonly hooks: EgressHook[] = [];
  private tokenizer: GyroTokenizer | undefined;
  private readonly onHookError: (error: unknown, hook: EgressHook) => void;
  private hookErrorsPrinted = 0;

  constructor(
    readonly info: InformationEngine,
    readonly store: PhenotypeStore,
    options: IntelligenceEngineOptions = {},
  ) {
    this.preferences = resolvePreferences(options.preferences);
    this.addressing = addressingOf(store);
    this.inference = new InferenceEngine(info, store);
    this.random = new Random(options.seed);
    this.generator = new Generator(info, store, this.preferences, this.counters, this.random);
    this.inference.writeListener = this.generator.cache;
    this.assembler = new TokenAssembler(this.preferences.maxTokenBytes);
    this.stt = info.stt;
    this.halves = info.halves;
    this.thetaTable = info.thetaTable;
    this.stateIndex = info.archetypeIndex;
    this.tokenizer = options.tokenizer;
    this.onHookError =
      options.onHookError ??
      ((error) => {
        if (this.hookErrorsPrinted++ < 5) process.stderr.write(`gyro: a hook threw (ignored): ${error instanceof Error ? error.message : String(error)}\n`);
      });
  }

  /** θ of the current state (a table read). */
  get currentTheta(): number {
    return this.thetaTable[this.stateIndex]!;
  }

  /** Bytes of an unfinished token carried over to the next egress call. */
  get pendingTokenBytes(): number {
    return this.assembler.length;
  }

  /** Absorb one masked byte; returns its intron. θ is recorded after every byte. */
  processEgress(byte: number): number {
    const intron = (byte ^ 0xaa) & 0xff;
    const pre = this.stateIndex;
    const next = this.stt !== null ? this.stt[pre * 256 + intron]! : this.info.next(pre, intron);
    this.stateIndex = next;
    this.cycleCount++;
    this.counters.absorbed(1);
    this.theta.push(this.thetaTable[next]!);
    const r = this.assembler.push(intron, this.halves[pre]!);
    if (r !== TOKEN_PENDING) this.completeToken(r, intron);
    return intron;
  }

  /**
   * Absorb a run of masked bytes: the fast path, with the same outcome as feeding them one by
   * one (tokens may straddle calls). It walks 24-bit state halves (InformationEngine.halves:
   * two 256-entry tables in L1 instead of a cache miss in the 808 MB transition table per byte)
   * and looks a state index up only before each learned token and at the end. θ is recorded for the
   * final state, after the middle state when the call carries more than 1024 bytes.
   */
  processEgressBulk(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n === 0) return;
    const asm = this.assembler;
    const midAt = n > THETA_MID_SAMPLE_BYTES ? n >>> 1 : -1;
    let mid = -1;
    const info = this.info;
    const xform = XFORM_HALF;
    const keep = KEEP_HALF;
    let h = this.halves[this.stateIndex]!;
    try {
      for (let i = 0; i < n; i++) {
        const intron = bytes[i]! ^ 0xaa;
        const pre = h;
        h = (h ^ xform[intron]!) & keep[intron]!;
        if (i === midAt) mid = h;
        const r = asm.push(intron, pre);
        if (r !== TOKEN_PENDING) {
          // Hooks may look at the engine, so they see the state after this token.
          if (this.hooks.length !== 0) this.stateIndex = info.indexOfHalf(h);
          this.completeToken(r, intron);
        }
      }
    } finally {
      this.stateIndex = info.indexOfHalf(h);
    }
    this.cycleCount += n;
    this.counters.absorbed(n);
    if (mid >= 0) this.theta.push(this.thetaTable[info.indexOfHalf(mid)]!);
    this.theta.push(this.thetaTable[this.stateIndex]!);
  }

  private completeToken(r: number, lastIntron: number): void {
    const c = this.counters;
    if (r >= 0) {
      c.token();
      if (r === SEP_ID) return;
      const outcome = this.inference.learnToken(r, this.info.indexOfHalf(this.assembler.completedPreState), lastIntron);
      c.learned(outcome !== LEARN_SKIPPED);
      if (this.hooks.length !== 0) this.runHooks(r, lastIntron);
    } else {
      c.dropped(r === TOKEN_MALFORMED);
    }
  }

  private runHooks(tokenId: number, lastIntron: number): void {
    const entry = this.inference.lastEntry();
    const rep = this.inference.lastRep;
    for (const hook of this.hooks.slice()) {
      try {
        hook(this, entry, lastIntron, tokenId, rep);
      } catch (error) {
        this.counters.hookError();
        try {
          this.onHookError(error, hook);
        } catch {
          // A failing reporter must not stop learning either.
        }
      }
    }
  }

  addHook(hook: EgressHook): void {
    this.hooks.push(hook);
  }

  removeHook(hook: EgressHook): boolean {
    const i = this.hooks.indexOf(hook);
    if (i < 0) return false;
    this.hooks.splice(i, 1);
    return true;
  }

  get hookCount(): number {
    return this.hooks.length;
  }

  /**
   * Choose the next token for the current state without emitting it: a candidate of its
   * representative, or a random ordinary token when it has none (counted as a fallback).
   */
  chooseToken(): number {
    const g = this.generator;
    const chosen = g.choose(this.stateIndex);
    if (chosen !== FALLBACK) return this.traced(chosen);
    this.counters.fallback();
    const ids = this.ordinaryIds();
    // A greedy request (temperature below 0.1) gets no random draw here either: the tied ordinary
    // ids are told apart by a fixed hash of the state, so the same state gives the same token.
    const greedy = g.deterministic;
    const id = ids[greedy ? (Math.imul(this.stateIndex + 1, 0x9e3779b1) >>> 0) % ids.length : this.random.int(ids.length)]!;
    if (g.topLogprobs >= 0) {
      // Uniform over the ordinary ids (every alternative ties with the chosen one), or one token when greedy.
      const logprob = greedy ? 0 : -Math.log(ids.length);
      const top = [{ token: id, logprob }];
      for (let j = 0; top.length < Math.min(g.topLogprobs, ids.length); j++)
        if (ids[j] !== id) top.push({ token: ids[j]!, logprob: greedy ? IMPOSSIBLE_LOGPROB : logprob });
      g.lastLogprob = { token: id, logprob, top: top.slice(0, g.topLogprobs) };
    }
    return this.traced(id);
  }

  /** Hand the decision just made to the tracer, if one is set; returns the token. */
  private traced(token: number): number {
    if (this.tracer !== undefined) {
      const g = this.generator;
      this.tracer(
        traceChoice(
          this.info,
          this.store,
          this.stateIndex,
          g.contexts[this.stateIndex]!,
          g.lastList,
          g.lastTemperature,
          g.lastRank,
          token,
          this.traceTop,
          g.lastWeights,
          g.lastTotal,
        ),
      );
    }
    return token;
  }

  /** Choose a token, emit it and feed its bytes back through bulk egress; returns its id. */
  generateToken(): number {
    const t0 = performance.now();
    const id = this.chooseToken();
    const bytes = tokenBytes(id);
    if (probeActive('feedback')) {
      const f0 = performance.now();
      this.processEgressBulk(bytes);
      probeReport('feedback', performance.now() - f0, `token=${id} bytes=${bytes.length}`);
    } else {
      this.processEgressBulk(bytes);
    }
    this.counters.generated(performance.now() - t0);
    return id;
  }

  /**
   * Every pre-state candidate stored for the context of `stateIndex` (default: the current
   * state; `rep` is its representative in a canonical store, the state itself in a state store),
   * ranked by score, with each term (SPEC §6.2). `limit` 0 lists all. Unlike
   * generation this scans every key, with no budget: it is the trace of a decision.
   */
  explain(
    stateIndex = this.stateIndex,
    limit = 0,
  ): { stateIndex: number; addressing: Addressing; rep: number; orbitSize: number; theta: number; candidates: ScoreTerms[] } {
    if (!Number.isInteger(stateIndex) || stateIndex < 0 || stateIndex >= this.info.size) {
      throw new InvalidArgumentError(`state index ${stateIndex} is out of range`, `use an index in 0..${this.info.size - 1}`);
    }
    const rep = this.generator.contexts[stateIndex]!;
    const scorer = new StateScorer(this.info, rep);
    const out: ScoreTerms[] = [];
    for (const token of this.store.iterKeysForState(rep)) {
      const packed = this.store.getPacked(rep, token);
      if (packed < 0 || ((packed >>> 16) & 1) !== 0) continue;
      out.push(scorer.terms(token, (packed >>> 16) & 0xff, confFromHalfBits(packed & 0xffff)));
    }
    out.sort((a, b) => b.score - a.score || a.token - b.token);
    return {
      stateIndex,
      addressing: this.addressing,
      rep,
      orbitSize: scorer.orbitV,
      theta: this.thetaTable[stateIndex]!,
      candidates: limit > 0 ? out.slice(0, limit) : out,
    };
  }

  /** Back to the archetype, with no partial token and an empty θ history. */
  reset(): void {
    this.stateIndex = this.info.archetypeIndex;
    this.assembler.reset();
    this.theta.clear();
    this.cycleCount = 0;
  }

  /** The unfinished token carried to the next egress call (session state, see agent/session.ts). */
  partialToken(): [number, number, number, number] {
    return this.assembler.snapshot();
  }

  restorePartialToken(s: readonly [number, number, number, number]): void {
    this.assembler.restore(s);
  }

  /** Forget a partial token (a new stream starts) without moving the state. */
  resetTokenBuffer(): void {
    this.assembler.reset();
  }

  private ordinaryIds(): Uint32Array {
    this.tokenizer ??= getTokenizer();
    return this.tokenizer.ordinaryIds;
  }
}
