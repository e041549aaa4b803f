import { DiskBudget } from './disk-budget.js';
import { StorageHealth } from './storage-health.js';
import { Supervisor } from './supervisor.js';
import { type ApiError, clientGone, deadlineMissed, engineFailure, storageFailure, turnFailure, unavailable, workerRestarted } from '../errors.js';
import {
  CANCEL_SLOTS,
  type FailedFlush,
  type FlushedAgent,
  type FromWorker,
  type ToWorker,
  type TurnRequest,
  type TurnResult,
  type WireLogprob,
  type WireTrace,
  type WorkerCounters,
  type WorkerInit,
} from './protocol.js';

/** Receives streamed text as tokens are generated, with the logprobs of the tokens behind it when asked for. */
export type DeltaListener = (text: string, logprobs?: WireLogprob[]) => void;

interface Pending {
  resolve: (r: TurnResult) => void;
  reject: (e: ApiError) => void;
  onDelta: DeltaListener | undefined;
  onTrace: ((trace: WireTrace) => void) | undefined;
  timer: NodeJS.Timeout;
  worker: number;
  started: number;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  /** Sent to a running worker (false while held for a replacement: a crash does not fail it). */
  posted: boolean;
  /** The conversation's key (its agents are in use until the turn settles). */
  key: string;
}

/** FNV-1a: a stable spread of conversation keys over workers. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface EnginePoolOptions extends Omit<WorkerInit, 'index' | 'ownsTriad' | 'cancelFlags' | 'deadThreads'> {
  workers: number;
  turnTimeoutMs: number;
  /** Called for worker-level failures (crash, fatal start-up error). */
  onWorkerError?: ((index: number, message: string) => void) | undefined;
  /** Disk budget of the agents folder in bytes (undefined: none, e.g. with agent memory in Redis). */
  agentsMaxBytes?: number | undefined;
  /** Called when a replacement worker is ready (after a crash). */
  onWorkerRestarted?: ((index: number, ms: number) => void) | undefined;
}

/**
 * The HTTP thread's handle on the engine workers. Each conversation is routed to one worker by
 * its key (so its agents live in exactly one thread and its turns run in order); different
 * conversations spread over the workers and run in parallel. Every turn carries a deadline: when
 * it passes the request fails with a 504 and any late result is dropped.
 */
export class EnginePool {
  /** Starts the workers, replaces one that dies, holds its messages meanwhile. */
  private readonly supervisor: Supervisor;
  private readonly pending = new Map<number, Pending>();
  private readonly counters: WorkerCounters[] = [];
  /** Per worker, the slots it reads to see a running turn cancelled (see WorkerInit.cancelFlags). */
  private readonly cancelFlags: Int32Array[] = [];
  /** Counters of workers that died, so the sums /metrics exports never go down. */
  private readonly retired: WorkerCounters = {};
  private nextId = 1;
  private closing = false;
  private closed = false;
  /** Turns answered, failed by deadline or the engine, cancelled by their client, cut by a worker's death, failed to store (for /metrics). */
  readonly outcomes = { ok: 0, deadline: 0, engine: 0, cancelled: 0, restarted: 0, storage: 0 };
  /** Turns queued or running per conversation key: the disk budget never removes those agents. */
  private readonly busyKeys = new Map<string, number>();
  /** The agents folder's disk budget, when one is set. */
  readonly budget: DiskBudget | undefined;
  /** Whether agent memory can be written (a failure latched by a turn, re-tested by /ready). */
  private readonly storage: StorageHealth;

  private constructor(private readonly opts: EnginePoolOptions) {
    this.storage = new StorageHealth(opts.memory ? null : opts.privateRoot);
    const { workers, turnTimeoutMs: _t, onWorkerError: _e, onWorkerRestarted: _r, agentsMaxBytes: _b, ...rest } = opts;
    this.supervisor = new Supervisor(workers, {
      // The pool's own triad lives on the worker the default conversation (key '') routes to.
      init: (index, deadThreads) => ({
        ...rest,
        index,
        ownsTriad: index === hashKey('') % workers,
        deadThreads,
        cancelFlags: this.cancelFlags[index]!.buffer as SharedArrayBuffer,
      }),
      message: (index, msg) => this.receive(index, msg),
      died: (index, why) => this.workerDied(index, why),
      posting: (msg) => {
        if (msg.type !== 'turn') return true;
        const p = this.pending.get(msg.id);
        if (!p) return false; // its deadline passed while held
        p.posted = true;
        return true;
      },
      error: opts.onWorkerError,
      restarted: opts.onWorkerRestarted,
    });
    if (opts.agentsMaxBytes !== undefined) {
      this.budget = new DiskBudget(opts.privateRoot, opts.agentsMaxBytes, {
        busy: (key) => this.busyKeys.has(key),
        forget: (key, agents) => this.post(this.workerFor(key), { type: 'forget', key, agents }),
        log: (line) => this.opts.onWorkerError?.(-1, line),
      });
    }
  }

  /** Start every worker and wait until each has loaded its engine and agents. */
  static async start(opts: EnginePoolOptions): Promise<EnginePool> {
    const pool = new EnginePool(opts);
    for (let i = 0; i < opts.workers; i++) {
      // One set of cancel slots per worker index, kept across replacements.
      pool.cancelFlags.push(new Int32Array(new SharedArrayBuffer(CANCEL_SLOTS * 4)));
      pool.counters.push({});
    }
    await pool.supervisor.start();
    return pool;
  }

  /**
   * A worker died: fail its turns (503 worker_restarted, retryable) and keep its counters' sums.
   * The supervisor starts its replacement at once; turns that arrive meanwhile wait for it
   * (held), within their deadline.
   */
  private workerDied(index: number, why: string): void {
    for (const [k, v] of Object.entries(this.counters[index]!)) this.retired[k] = (this.retired[k] ?? 0) + v;
    this.counters[index] = {};
    for (const [id, p] of this.pending) {
      if (p.worker !== index || p.posted === false) continue;
      this.settle(id, (q) => {
        this.outcomes.restarted++;
        q.reject(workerRestarted(index, why));
      });
    }
  }

  private post(index: number, msg: ToWorker): void {
    this.supervisor.post(index, msg);
  }

  /**
   * Fault injection (GYRO_FAULT_INJECTION=1): stop worker `index` at once, mid-turn, as a fatal
   * error would (its stores stay locked, unflushed records are lost, its turns are cut off).
   */
  crashWorker(index: number): boolean {
    return this.supervisor.crash(index);
  }

  /** Workers replaced after they died (gyro_worker_restarts_total). */
  get restarts(): number {
    return this.supervisor.restarts;
  }

  /** A running worker's message about a turn. */
  private receive(index: number, msg: FromWorker): void {
    switch (msg.type) {
      case 'delta':
        this.pending.get(msg.id)?.onDelta?.(msg.text, msg.logprobs);
        return;
      case 'trace':
        this.pending.get(msg.id)?.onTrace?.(msg.trace);
        return;
      case 'done':
        this.counters[index] = msg.counters;
        this.storage.stored(); // a turn's records were written again
        this.settle(msg.id, (p) => {
          this.outcomes.ok++;
          p.resolve(msg.result);
        });
        return;
      case 'failed':
        if (msg.counters) this.counters[index] = msg.counters;
        this.settle(msg.id, (p) => {
          if (msg.reason === 'cancelled') {
            this.outcomes.cancelled++;
            p.reject(clientGone());
          } else if (msg.reason === 'deadline') {
            this.outcomes.deadline++;
            p.reject(deadlineMissed(this.opts.turnTimeoutMs));
          } else if (msg.reason === 'storage') {
            this.outcomes.storage++;
            this.storage.failed(msg.errno, msg.message);
            p.reject(storageFailure(msg.errno, msg.message));
          } else {
            this.outcomes.engine++;
            p.reject(msg.error ? turnFailure(msg.error) : engineFailure(msg.message));
          }
        });
        return;
      case 'closed':
        return;
    }
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return; // already timed out: the late result is dropped
    this.pending.delete(id);
    clearTimeout(p.timer);
    const busy = (this.busyKeys.get(p.key) ?? 1) - 1;
    if (busy > 0) this.busyKeys.set(p.key, busy);
    else this.busyKeys.delete(p.key);
    this.budget?.touched(p.key);
    p.signal?.removeEventListener('abort', p.onAbort);
    fn(p);
  }

  get size(): number {
    return this.supervisor.count;
  }

  /** Why agent memory cannot be written (disk full, read-only), while that lasts; /ready answers 503 meanwhile. */
  get storageFailure(): string | undefined {
    return this.storage.failure;
  }

  /** Re-test a latched storage failure (see StorageHealth). */
  recheckStorage(): Promise<void> {
    return this.storage.recheck();
  }

  /** True while every worker runs, agent memory can be written and the pool accepts turns. */
  get ready(): boolean {
    return !this.closing && this.storage.failure === undefined && this.supervisor.allAlive;
  }

  /** Workers running now (a replacement counts once it is ready). */
  get aliveCount(): number {
    return this.supervisor.aliveCount;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Turns in flight per worker (for /metrics). */
  inFlightByWorker(): number[] {
    const out = new Array<number>(this.size).fill(0);
    for (const p of this.pending.values()) out[p.worker]!++;
    return out;
  }

  workerFor(key: string): number {
    return hashKey(key) % this.size;
  }

  /** Sum of the counters every worker last reported. */
  totals(): WorkerCounters {
    const out: WorkerCounters = { ...this.retired };
    for (const c of this.counters) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
    return out;
  }

  /**
   * Run one turn on the conversation's worker; `onDelta` receives text as tokens are generated.
   * When `signal` aborts (the client went away) the turn is cancelled: a queued one never
   * starts, a running one stops at its next token, and the promise rejects with `clientGone`.
   * `onTrace` receives each token's trace (streamed turns with `traceTop`).
   */
  runTurn(request: TurnRequest, onDelta?: DeltaListener, signal?: AbortSignal, onTrace?: (trace: WireTrace) => void): Promise<TurnResult> {
    if (this.closing) return Promise.reject(unavailable('the server is shutting down and accepts no new turns'));
    if (signal?.aborted) return Promise.reject(clientGone());
    const index = this.workerFor(request.conversation.key);
    const id = this.nextId++;
    const timeout = this.opts.turnTimeoutMs;
    const deadline = Date.now() + timeout;
    return new Promise<TurnResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.raiseCancelFlag(id); // a running turn stops at its next token: nobody waits for it any more
        this.settle(id, (p) => {
          this.outcomes.deadline++;
          p.reject(deadlineMissed(timeout));
        });
      }, timeout);
      const onAbort = () => this.cancel(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve,
        reject,
        onDelta,
        onTrace,
        timer,
        worker: index,
        started: performance.now(),
        signal,
        onAbort,
        posted: false,
        key: request.conversation.key,
      });
      this.busyKeys.set(request.conversation.key, (this.busyKeys.get(request.conversation.key) ?? 0) + 1);
      this.post(index, { type: 'turn', id, deadline, request });
    });
  }

  /**
   * Cancel turn `id`: raise its flag (a running turn sees it at its next token, a queued one
   * when it comes up), tell the worker, and fail the request now (nobody is waiting for it).
   */
  private cancel(id: number): void {
    if (!this.raiseCancelFlag(id)) return;
    const msg: ToWorker = { type: 'cancel', id };
    this.post(this.pending.get(id)!.worker, msg);
    this.settle(id, (q) => {
      this.outcomes.cancelled++;
      q.reject(clientGone());
    });
  }

  /** Raise the flag the worker of pending turn `id` reads per token; false when it is not pending. */
  private raiseCancelFlag(id: number): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    Atomics.store(this.cancelFlags[p.worker]!, id % CANCEL_SLOTS, id);
    return true;
  }

  /**
   * Stop accepting turns, let every worker finish the turns it holds, flush and close every
   * store, then stop the threads. Resolves with every agent flushed and its private records.
   */
  async close(): Promise<FlushedAgent[]> {
    if (this.closed) return [];
    this.closing = true;
    this.supervisor.closing = true;
    const flushed: FlushedAgent[] = [];
    const failed: FailedFlush[] = [];
    await Promise.all(
      this.supervisor.workers.map(
        (worker, i) =>
          new Promise<void>((resolve) => {
            if (!this.supervisor.isAlive(i)) return resolve();
            const onMessage = (msg: FromWorker) => {
              if (msg.type !== 'closed') return;
              flushed.push(...msg.agents);
              failed.push(...(msg.failed ?? []));
              worker.off('message', onMessage);
              resolve();
            };
            worker.on('message', onMessage);
            worker.once('exit', () => resolve());
            const msg: ToWorker = { type: 'close' };
            worker.postMessage(msg);
          }),
      ),
    );
    await Promise.allSettled(this.supervisor.workers.map((w) => w.terminate()));
    this.supervisor.closed = true;
    this.closed = true;
    if (failed.length) {
      throw new Error(
        `${failed.length} agent store(s) could not be flushed, their last records are lost: ${failed.map((f) => `${f.id} (${f.message})`).join('; ')}`,
      );
    }
    return flushed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
