import type { AdapterConfig } from './config.js';
import type { AdapterMetrics } from './metrics/adapter-metrics.js';
import type { TurnRequest, TurnResult, WireLogprob, WireTrace } from './worker/protocol.js';

/** What routes need from the engine side: the worker pool, or nothing yet while warming up. */
export interface TurnRunner {
  readonly ready: boolean;
  /** `signal` aborts when the client goes away: the turn is cancelled (see EnginePool.runTurn). */
  runTurn(
    request: TurnRequest,
    onDelta?: (text: string, logprobs?: WireLogprob[]) => void,
    signal?: AbortSignal,
    onTrace?: (trace: WireTrace) => void,
  ): Promise<TurnResult>;
  /** Number of engine workers. */
  readonly size: number;
  /** Set while agent memory cannot be written (disk full, read-only): /ready says why. */
  readonly storageFailure?: string | undefined;
  /** Re-test a latched storage failure (clears it when the agents folder takes a write again). */
  recheckStorage?(): Promise<void>;
  /** Fault injection: crash worker `index` (false when it is not running). */
  crashWorker(index: number): boolean;
}

/** Shared by every route plugin. */
export interface ServerContext {
  config: AdapterConfig;
  metrics: AdapterMetrics;
  /** The engine once warm-up finished; undefined before. */
  engine(): TurnRunner | undefined;
  /** Set when SIGTERM (or close) started: readiness fails, new turns are refused. */
  draining: boolean;
  startedAt: number;
}
