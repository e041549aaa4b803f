/**
 * Building blocks of @gyro/intelligence: the learning rule and the inference engine, egress
 * (token assembly, θ history), scoring, candidate scans and sampling, the stop policy, agent
 * sharding, instrumentation and the evaluation walks. For this workspace's benchmarks, tests
 * and tools, and for anyone building another engine on the same parts. No stability promise:
 * these change with the implementation; the root entry is the package's API.
 */
export { InferenceEngine, SEP_TOKEN, LEARN_SKIPPED, LEARN_WRITTEN, LEARN_CREATED, type LearnWriteListener } from './learning/InferenceEngine.js';
export { nextMask, nextConf, q8, DEFAULT_MASK, DEFAULT_CONF } from './learning/learning-rule.js';
export { TokenAssembler, TOKEN_PENDING, TOKEN_MALFORMED, TOKEN_OVERSIZE, MAX_TOKEN_LEB128_BYTES } from './egress/token-assembler.js';
export { ThetaHistory, THETA_HISTORY } from './egress/theta-history.js';
export { StateScorer, uniquenessOf, resonanceOf, combineScore } from './generation/score.js';
export { temperatureFromTheta } from './generation/temperature.js';
export { CandidateCache, CandidateList } from './generation/candidate-cache.js';
export { scanCandidates } from './generation/scan.js';
export {
  sampleIndex,
  samplingProbability,
  samplingWeightAt,
  samplingWeights,
  drawIndex,
  logprobOf,
  IMPOSSIBLE_LOGPROB,
  GREEDY_BELOW,
} from './generation/sampler.js';
export { Generator, FALLBACK } from './generation/Generator.js';
export { traceChoice } from './generation/trace.js';
export { replyTarget, endsSentence, countTokens, APPENDS_SEP } from './agent/stop-policy.js';
export { shardIndexOf, SHARD_COUNT, TRIAD } from './pool/AgentPool.js';
export { Random } from './random.js';
export { newCounters, EngineCounters, probeActive, probeReport, probeTokenizer, type ProbeKind } from './probes.js';
export { contextTable, contextTableOf } from './addressing.js';
export { CountBaselines, TOP_K, type BaselineScores } from './eval/count-baselines.js';
export { walkTestTape, EVAL_PREFERENCES, type WalkOptions, type WalkResult } from './eval/walk.js';
export { tapeTokenIds } from './eval/tape-ids.js';
