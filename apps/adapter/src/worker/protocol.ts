import type { CandidateTrace, TokenTrace } from '@gyro/intelligence';

/**
 * Messages between the HTTP thread and the engine workers. The HTTP thread sends plain
 * text and numbers; tokenizing, learning, generating and decoding all happen in the worker.
 */
import type { ErrorRecord } from '@gyro/information';

/** The agents one conversation uses (a triad: user, system, assistant). */
export interface Conversation {
  /** Routing key: every turn of one conversation runs on the same worker, one at a time. */
  key: string;
  user: string;
  system: string;
  assistant: string;
}

/** One chat turn, already validated and reduced to SPEC §7's three steps. */
export interface TurnRequest {
  conversation: Conversation;
  /** System messages, joined by "\n"; bootstrap the assistant once (when it has learned nothing yet). */
  systemText: string | null;
  /** Earlier assistant messages, joined by "\n"; the assistant ingests them before the turn. */
  assistantMemory: string | null;
  /** The last user message: runs orchestrateTurn. */
  userText: string;
  maxNewTokens: number | undefined;
  seed: number | undefined;
  /** Send a `delta` message per generated token. */
  stream: boolean;
  /** Replaces the θ-derived temperature (OpenAI `temperature`; below 0.1 greedy). */
  temperature?: number;
  /** Nucleus sampling share (OpenAI `top_p`). */
  topP?: number;
  /** Return logprobs with this many alternatives per token (OpenAI `top_logprobs`). */
  topLogprobs?: number;
  /** End the reply before the first occurrence of any of these (OpenAI `stop`). */
  stop?: string[];
  /** Candidates per traced token; 0 = no trace (the opt-in `gyro.trace` request field). */
  traceTop?: number;
}

/** One generated token's log-probability and its top alternatives, tokens as text. */
export interface WireLogprob {
  id: number;
  token: string;
  logprob: number;
  top: Array<{ id: number; token: string; logprob: number }>;
}

/** One traced token as the server sends it: the engine's trace plus the token's text. */
export type WireTrace = Omit<TokenTrace, 'candidates'> & { text: string; candidates: Array<CandidateTrace & { text: string }> };

export interface TurnResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
  /** Why the agent stopped (the intelligence package's StopReason; 'caller' = a stop string). */
  stopReason: string;
  /** Present when the request asked for logprobs (every generated token; streamed ones came with their deltas). */
  logprobs?: WireLogprob[];
  /** Every traced token, when the request asked for a trace. */
  trace?: WireTrace[];
}

/**
 * The intelligence package's process-wide counters (cache hits, misses, fallbacks, budget
 * cut-offs, tokens, …), absolute since the worker started; sent with every finished turn so
 * /metrics never has to ask a busy worker.
 */
export type WorkerCounters = Record<string, number>;

/** An agent store whose final flush failed at shutdown (its unwritten records are lost). */
export interface FailedFlush {
  id: string;
  message: string;
}

export interface FlushedAgent {
  id: string;
  entries: number;
}

export type ToWorker =
  | { type: 'turn'; id: number; deadline: number; request: TurnRequest }
  /**
   * The client went away: drop the turn if it is still queued. A running turn cannot read
   * messages (it is synchronous); it sees its slot of `cancelFlags` instead, at its next token.
   */
  | { type: 'cancel'; id: number }
  | { type: 'close' }
  /** Disk budget: close and delete these agents of conversation `key`, after its queued turns. */
  | { type: 'forget'; key: string; agents: string[] };

export type FromWorker =
  | { type: 'ready'; agents: string[] }
  | { type: 'delta'; id: number; text: string; logprobs?: WireLogprob[] }
  | { type: 'trace'; id: number; trace: WireTrace }
  | { type: 'done'; id: number; result: TurnResult; counters: WorkerCounters }
  /**
   * `error`: the thrown error's record (its code crosses the thread; a client fault becomes a 4xx).
   * `storage`: agent memory could not be written; `errno` is the file system's code (ENOSPC, EROFS, …).
   */
  | {
      type: 'failed';
      id: number;
      reason: 'deadline' | 'engine' | 'cancelled' | 'storage';
      message: string;
      error?: ErrorRecord;
      errno?: string | undefined;
      counters?: WorkerCounters;
    }
  /** Every resident agent was flushed and closed; `entries` = live records of its private store. */
  | { type: 'closed'; agents: FlushedAgent[]; failed?: FailedFlush[] }
  | { type: 'fatal'; message: string };

export interface WorkerInit {
  /** Agent memory in Redis (`--memory`): the URL and the keys' expiry; null keeps files under privateRoot. */
  memory: { url: string; ttlMs: number } | null;
  index: number;
  assetsDir: string | undefined;
  engineMode: 'stt' | 'stt-free';
  publicStore: string;
  privateRoot: string;
  /** The addressing expected of the public store (undefined: its own). */
  addressing: 'canonical' | 'state' | undefined;
  maxAgentsInMemory: number;
  eviction: 'lru' | 'lfu' | 'ttl';
  agent: Record<string, unknown>;
  /** Nice value this thread gives itself. */
  nice: number;
  /** Create the default triad (user, system, assistant) in this worker. */
  ownsTriad: boolean;
  /** Thread ids of workers of this process that died: their stores' locks are taken over. */
  deadThreads: number[];
  /** Shared tables of the information engine (SharedArrayBuffer-backed), when the main thread loaded them. */
  shared: unknown;
  /**
   * CANCEL_SLOTS Int32 slots shared with the HTTP thread: turn `id` is cancelled when slot
   * `id % CANCEL_SLOTS` holds `id` (ids only grow, so a stale value never matches a later turn).
   */
  cancelFlags: SharedArrayBuffer;
}

/** Slots of `cancelFlags`: more than the turns one worker ever holds at once. */
export const CANCEL_SLOTS = 4096;

/** True when turn `id` was cancelled (one Atomics.load: cheap enough to run per token). */
export function isCancelled(flags: Int32Array, id: number): boolean {
  return Atomics.load(flags, id % CANCEL_SLOTS) === id;
}
