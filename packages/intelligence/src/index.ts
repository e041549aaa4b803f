export { InferenceEngine, SEP_TOKEN, LEARN_SKIPPED, LEARN_WRITTEN, LEARN_CREATED, type LearnWriteListener } from './learning/InferenceEngine.js';
export { nextMask, nextConf, q8, DEFAULT_MASK, DEFAULT_CONF } from './learning/learning-rule.js';
export { TokenAssembler, TOKEN_PENDING, TOKEN_MALFORMED, TOKEN_OVERSIZE, MAX_TOKEN_LEB128_BYTES } from './egress/token-assembler.js';
export { ThetaHistory, THETA_HISTORY } from './egress/theta-history.js';
export { IntelligenceEngine, type EgressHook, type IntelligenceEngineOptions } from './engine/IntelligenceEngine.js';
export { StateScorer, uniquenessOf, resonanceOf, combineScore, type ScoreTerms } from './generation/score.js';
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
export { Generator, FALLBACK, type SamplingOptions, type TokenLogprob } from './generation/Generator.js';
export { traceChoice, DEFAULT_TRACE_TOP, type TokenTrace, type CandidateTrace } from './generation/trace.js';
export {
  GyroSI,
  type GyroSIOptions,
  type RespondOptions,
  type Reply,
  type IngestReport,
  type AgentInfo,
  type MaintenanceOptions,
  type MaintenanceResult,
} from './agent/GyroSI.js';
export { replyTarget, endsSentence, countTokens, APPENDS_SEP, type StopReason } from './agent/stop-policy.js';
export { AgentPool, shardIndexOf, SHARD_COUNT, TRIAD, type AgentPoolOptions } from './pool/AgentPool.js';
export { FileAgentMemory, type FileAgentMemoryOptions } from './pool/agent-memory.js';
export { orchestrateTurn } from './turn.js';
export { encodeSession, restoreSession, SESSION_BYTES } from './agent/session.js';
export { Random } from './random.js';
export { DEFAULT_PREFERENCES, resolvePreferences, type Preferences, type PreferenceOverrides, type EvictionPolicy } from './preferences.js';
export { metrics, metricsSnapshot, newCounters, setProbeLimit, probeActive, probeReport, probeTokenizer, type Counters, type ProbeKind } from './probes.js';
export {
  IntelligenceError,
  IntelligenceErrorCodes,
  type IntelligenceErrorCode,
  UnknownAgentError,
  InputTooLargeError,
  ClosedError,
  InvalidPreferenceError,
  SessionStateError,
  InvalidArgumentError,
} from './errors.js';
export { contextTable, contextTableOf } from './addressing.js';
export { evaluate, type EvalReport, type EvalStage, type EvaluateOptions } from './eval/evaluate.js';
export { CountBaselines, TOP_K, type BaselineScores } from './eval/count-baselines.js';
export { walkTestTape, EVAL_PREFERENCES, FLOOR_SHARE, type ModelScores, type WalkOptions, type WalkResult } from './eval/walk.js';
export { tapeTokenIds } from './eval/tape-ids.js';
