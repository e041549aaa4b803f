/**
 * The engine side of a worker: an information engine over the HTTP thread's shared tables, the
 * tokenizer primed, an AgentPool, and chat turns with SPEC §7's semantics. Everything here runs
 * off the HTTP thread.
 */
import { informationEngineFromShared, toErrorRecord, type SharedEngineTables } from '@gyro/information';
import { cleanUpTokenization, getTokenizer, type GyroTokenizer } from '@gyro/tokenizer';
import { AgentPool, metricsSnapshot, orchestrateTurn, type GyroSI, type TokenTrace } from '@gyro/intelligence';
import { OverlayView } from '@gyro/store';
import { setPriority } from 'node:os';
import { RedisMemory } from './redis-memory.js';
import { pieceDecoder, replyText, type PieceDecoder } from './stream-text.js';
import { ReplyText } from './reply-text.js';
import {
  CANCEL_SLOTS,
  isCancelled,
  type FailedFlush,
  type FlushedAgent,
  type FromWorker,
  type ToWorker,
  type TurnResult,
  type WireLogprob,
  type WireTrace,
  type WorkerInit,
} from './protocol.js';

/**
 * Renice this thread only: on Linux `setpriority(PRIO_PROCESS, 0, …)`, which os.setPriority
 * calls, applies to the calling thread. Where that is not allowed or not per-thread, the
 * worker simply runs at normal priority.
 */
function lowerThreadPriority(nice: number): void {
  if (nice <= 0) return;
  try {
    setPriority(nice);
  } catch {
    // not permitted here: keep the default priority
  }
}

type TurnMessage = Extract<ToWorker, { type: 'turn' }>;

/** File-system codes that mean agent memory cannot be written (as opposed to an engine bug). */
const STORAGE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE']);

/** The errno of a store write that failed (StoreIOError keeps the fs error as its cause), if any. */
export function storageErrno(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_ERRNOS.has(code)) return code;
  }
  return undefined;
}

export class TurnHost {
  private readonly pieces: PieceDecoder;
  /** Written by the HTTP thread (cancelled turn ids), read here per token. */
  private readonly cancelFlags: Int32Array;

  private constructor(
    private readonly tokenizer: GyroTokenizer,
    private readonly pool: AgentPool,
    /** Agent memory in Redis (`--memory`), or undefined: private stores are files. */
    private readonly memory: RedisMemory | undefined,
    cancelFlags: SharedArrayBuffer,
  ) {
    this.pieces = pieceDecoder(tokenizer, cleanUpTokenization);
    this.cancelFlags = new Int32Array(cancelFlags);
  }

  /** Warm-up: engine from shared tables, tokenizer loaded and exercised, pool (and triad) open. */
  static open(init: WorkerInit): TurnHost {
    lowerThreadPriority(init.nice);
    const info = informationEngineFromShared(init.shared as SharedEngineTables);
    const tokenizer = getTokenizer();
    tokenizer.decode(tokenizer.encode('Warm up the tokenizer, once.'));
    const memory = init.memory ? new RedisMemory(init.memory) : undefined;
    const pool = new AgentPool({
      info,
      tokenizer,
      publicStorePath: init.publicStore,
      privateRoot: init.privateRoot,
      ...(init.addressing === undefined ? {} : { addressing: init.addressing }),
      preferences: { ...init.agent, maxAgentsInMemory: init.maxAgentsInMemory, agentEvictionPolicy: init.eviction },
      ...(memory ? { openPrivateStore: memory.open } : {}),
      deadThreads: new Set(init.deadThreads),
    });
    if (init.ownsTriad) pool.ensureTriad();
    return new TurnHost(tokenizer, pool, memory, init.cancelFlags);
  }

  agentIds(): string[] {
    return this.pool.activeAgents();
  }

  /** A cancel message: mark the turn (normally the HTTP thread already has). */
  cancel(id: number): void {
    Atomics.store(this.cancelFlags, id % CANCEL_SLOTS, id);
  }

  /**
   * Run one turn and report it; a turn cancelled or past its deadline while queued does not run. With
   * agent memory in Redis the turn's agents are pinned, caught up with Redis first, and every
   * write is in Redis before `done` is posted; when Redis fails, the agents are dropped from
   * this worker (their next turn reads them from Redis again) and the turn fails with the
   * store's code (503 memory_unavailable).
   */
  async run(msg: TurnMessage, post: (m: FromWorker) => void): Promise<void> {
    if (isCancelled(this.cancelFlags, msg.id)) {
      post({ type: 'failed', id: msg.id, reason: 'cancelled', message: 'the client went away while the turn waited in the queue' });
      return;
    }
    if (Date.now() >= msg.deadline) {
      post({ type: 'failed', id: msg.id, reason: 'deadline', message: 'the deadline passed while the turn waited in the queue' });
      return;
    }
    const c = msg.request.conversation;
    // The system agent takes part only in a bootstrap (system messages): pulled only then.
    const ids = !this.memory ? [] : msg.request.systemText === null ? [c.user, c.assistant] : [c.user, c.assistant, c.system];
    for (const id of ids) this.pool.pin(id);
    try {
      if (this.memory) await this.memory.pull(ids.map((id) => this.agent(id)));
      const result = this.turn(msg, post);
      if (this.memory) await this.memory.push(ids.map((id) => this.agent(id)));
      post({ type: 'done', id: msg.id, result, counters: { ...metricsSnapshot() } });
    } catch (err) {
      // In-memory agents may now be ahead of (or behind) Redis: forget them here.
      for (const id of ids) this.pool.remove(id);
      const error = toErrorRecord(err);
      const errno = storageErrno(err);
      post({ type: 'failed', id: msg.id, reason: errno ? 'storage' : 'engine', errno, message: error.message, error, counters: { ...metricsSnapshot() } });
    } finally {
      for (const id of ids) this.pool.unpin(id);
    }
  }

  private agent(id: string): GyroSI {
    return this.pool.createAgent(id); // the resident agent, or its store reopened
  }

  private turn(msg: TurnMessage, post: (m: FromWorker) => void): TurnResult {
    const { request } = msg;
    const c = request.conversation;
    const assistant = this.agent(c.assistant);
    this.agent(c.user);
    // System messages bootstrap the assistant once (while it has absorbed nothing since it
    // started): the system agent responds to them and the assistant ingests that response.
    if (request.systemText !== null && assistant.engine.cycleCount === 0) {
      const system = this.agent(c.system);
      if (request.seed !== undefined) system.engine.random.reseed(request.seed); // a seeded conversation repeats, system messages included
      const stimulus = system.respond(system.encode(request.systemText));
      assistant.ingest(stimulus.bytes);
    }
    // Earlier assistant messages are the assistant's own memories: ingested before the turn.
    if (request.assistantMemory !== null) assistant.ingestText(request.assistantMemory);
    if (request.seed !== undefined) assistant.engine.random.reseed(request.seed);

    // The text side runs when anything needs the reply's text token by token: streaming, stop strings, logprobs.
    const stop = request.stop ?? [];
    const wantLogprobs = request.topLogprobs !== undefined;
    const text =
      request.stream || stop.length || wantLogprobs
        ? new ReplyText(
            this.pieces,
            stop,
            request.stream ? (delta, logprobs) => post({ type: 'delta', id: msg.id, text: delta, ...(logprobs ? { logprobs } : {}) }) : undefined,
          )
        : undefined;
    const traced: WireTrace[] | undefined = request.traceTop && !request.stream ? [] : undefined;
    const reply = orchestrateTurn(this.pool, c.user, c.assistant, request.userText, {
      maxNewTokens: request.maxNewTokens,
      traceTop: request.traceTop || undefined,
      onTrace: request.traceTop
        ? (t) => {
            const trace = this.wireTrace(t);
            if (traced) traced.push(trace);
            else post({ type: 'trace', id: msg.id, trace });
          }
        : undefined,
      temperature: request.temperature,
      topP: request.topP,
      topLogprobs: request.topLogprobs,
      isCancelled: () => isCancelled(this.cancelFlags, msg.id),
      onToken: text ? (id, logprob) => text.push(id, logprob) : undefined,
      stopAfter: stop.length ? () => text!.stopped : undefined,
    });
    // One implementation of the reply text for every path (stream-text.ts), so a streamed reply
    // adds up to exactly what the same turn answers unstreamed.
    let finalText: string;
    let logprobs: WireLogprob[] | undefined;
    if (text) {
      const end = text.finish();
      finalText = end.text;
      // Never expected for WordPiece; reported so a tokenizer with other decoding rules shows up.
      if (!end.consistent) process.emitWarning(`streamed text of turn ${msg.id} is not a prefix of its reply`);
      if (wantLogprobs && !request.stream) logprobs = text.takeLogprobs();
    } else {
      finalText = replyText(this.pieces, reply.tokens);
    }
    // Written before the reply is acknowledged: a crash, kill -9 or full disk after this point
    // loses nothing the client was told; a write that fails here fails the turn (507/503).
    if (!this.memory) for (const id of [c.user, c.assistant, c.system]) this.pool.commit(id);
    return {
      text: finalText,
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      finishReason: reply.finishReason,
      stopReason: reply.stopReason,
      ...(logprobs ? { logprobs } : {}),
      ...(traced ? { trace: traced } : {}),
    };
  }

  /** A trace with each token's text (its WordPiece, `##` included) for the look-inside view. */
  private wireTrace(t: TokenTrace): WireTrace {
    const text = (id: number) => this.tokenizer.idToToken(id) ?? '';
    return { ...t, text: text(t.token), candidates: t.candidates.map((c) => ({ ...c, text: text(c.token) })) };
  }

  /** Disk budget: close and delete these agents (none of them is in a turn: their chain runs this). */
  forget(agentIds: string[]): void {
    for (const id of agentIds) {
      try {
        this.pool.forget(id);
      } catch (err) {
        process.emitWarning(`could not forget agent ${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Flush and close every agent store (and the public store); reports each agent's private records. */
  close(): { agents: FlushedAgent[]; failed: FailedFlush[] } {
    const agents = this.pool.activeAgents().map((id) => {
      const store = this.pool.createAgent(id).store;
      return { id, entries: store instanceof OverlayView ? store.privateStore.size : store.size };
    });
    // One by one, so a store that cannot be flushed (a full disk) is named and the others still close.
    const failed: FailedFlush[] = [];
    for (const { id } of agents) {
      try {
        this.pool.remove(id);
      } catch (err) {
        failed.push({ id, message: err instanceof Error ? err.message : String(err) });
      }
    }
    try {
      this.pool.close();
    } catch (err) {
      failed.push({ id: '(pool)', message: err instanceof Error ? err.message : String(err) });
    }
    void this.memory?.close();
    return { agents: agents.filter((a) => !failed.some((f) => f.id === a.id)), failed };
  }
}
