// The root entry: what an application needs to run agents, serve turns and measure the model.
// Building blocks (learning rule, egress, scoring, sampling, probes, eval walks) are in
// ./internals.ts (`@gyro/intelligence/internals`), with no stability promise.
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
export type { StopReason } from './agent/stop-policy.js';
export { AgentPool, type AgentPoolOptions } from './pool/AgentPool.js';
export { FileAgentMemory, type FileAgentMemoryOptions } from './pool/agent-memory.js';
export { orchestrateTurn } from './turn.js';
export { encodeSession, restoreSession, SESSION_BYTES } from './agent/session.js';
export { IntelligenceEngine, type EgressHook, type IntelligenceEngineOptions } from './engine/IntelligenceEngine.js';
export type { SamplingOptions, TokenLogprob } from './generation/Generator.js';
export { DEFAULT_TRACE_TOP, type TokenTrace, type CandidateTrace } from './generation/trace.js';
export type { ScoreTerms } from './generation/score.js';
export { DEFAULT_PREFERENCES, resolvePreferences, type Preferences, type PreferenceOverrides, type EvictionPolicy } from './preferences.js';
export { metrics, metricsSnapshot, setProbeLimit, type Counters, type EngineCounters } from './probes.js';
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
export { evaluate, type EvalReport, type EvalStage, type EvaluateOptions } from './eval/evaluate.js';
export type { BaselineScores } from './eval/count-baselines.js';
export { FLOOR_SHARE, type ModelScores } from './eval/walk.js';
