import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DiskBudget } from './disk-budget.js';
import { probeWritable } from './probe-writable.js';
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

/** Where the built worker entry sits: beside this module in dist/ (tsup emits both). */
export function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'engine-worker.js'), join(here, 'worker', 'engine-worker.js'), join(here, '..', '..', 'dist', 'engine-worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the engine worker is not built (looked for ${candidates.join(', ')}); run \`pnpm turbo run build --filter=@gyro/adapter...\``);
  return found;
}

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

/** Wait before starting a replacement again when the previous one failed to start. */
const RESTART_BACKOFF_MS = 1000;
/** A latched storage failure is re-tested at most this often (by /ready). */
const STORAGE_PROBE_INTERVAL_MS = 1000;
/** The probe writes this much: more than a turn's records and a sidecar's header. */
const STORAGE_PROBE_BYTES = 64 * 1024;

/**
 * The HTTP thread's handle on the engine workers. Each conversation is routed to one worker by
 * its key (so its agents live in exactly one thread and its turns run in order); different
 * conversations spread over the workers and run in parallel. Every turn carries a deadline: when
 * it passes the request fails with a 504 and any late result is dropped.
 */
export class EnginePool {
  private readonly workers: Worker[] = [];
  /** Worker i is running and has said 'ready'. */
  private readonly alive: boolean[] = [];
  /** Messages for a worker being replaced, posted once the replacement is ready. */
  private readonly held: ToWorker[][] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly counters: WorkerCounters[] = [];
  /** Per worker, the slots it reads to see a running turn cancelled (see WorkerInit.cancelFlags). */
  private readonly cancelFlags: Int32Array[] = [];
  /** Counters of workers that died, so the sums /metrics exports never go down. */
  private readonly retired: WorkerCounters = {};
  /** Thread ids of workers that died: their replacements take over the store locks they left. */
  private readonly deadThreads: number[] = [];
  private readonly threadIds: number[] = [];
  private nextId = 1;
  private closing = false;
  private closed = false;
  /** Turns answered, failed by deadline or the engine, cancelled by their client, cut by a worker's death, failed to store (for /metrics). */
  readonly outcomes = { ok: 0, deadline: 0, engine: 0, cancelled: 0, restarted: 0, storage: 0 };
  /** Workers replaced after they died (gyro_worker_restarts_total). */
  restarts = 0;
  /** Turns queued or running per conversation key: the disk budget never removes those agents. */
  private readonly busyKeys = new Map<string, number>();
  /** The agents folder's disk budget, when one is set. */
  readonly budget: DiskBudget | undefined;

  private constructor(private readonly opts: EnginePoolOptions) {
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
    const ready: Promise<void>[] = [];
    for (let i = 0; i < opts.workers; i++) {
      // One set of cancel slots per worker index, kept across replacements.
      pool.cancelFlags.push(new Int32Array(new SharedArrayBuffer(CANCEL_SLOTS * 4)));
      pool.alive.push(false);
      pool.held.push([]);
      pool.counters.push({});
      ready.push(pool.spawn(i));
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await Promise.allSettled(pool.workers.map((w) => w.terminate()));
      throw err;
    }
    return pool;
  }

  /** Start worker `index` (first start or replacement); resolves when it is ready. */
  private spawn(index: number): Promise<void> {
    const { workers, turnTimeoutMs: _t, onWorkerError: _e, onWorkerRestarted: _r, agentsMaxBytes: _b, ...rest } = this.opts;
    // The pool's own triad lives on the worker the default conversation (key '') routes to.
    const init: WorkerInit = {
      ...rest,
      index,
      ownsTriad: index === hashKey('') % workers,
      deadThreads: [...this.deadThreads],
      cancelFlags: this.cancelFlags[index]!.buffer as SharedArrayBuffer,
    };
    const worker = new Worker(workerEntry(), { workerData: init });
    this.workers[index] = worker;
    this.threadIds[index] = worker.threadId; // reads -1 once the thread has stopped
    return this.attach(worker, index);
  }

  /**
   * A worker died: fail its turns (503 worker_restarted, retryable), remember its thread so the
   * replacement may take over its store locks, and start the replacement at once. Turns that
   * arrive meanwhile wait for it (held), within their deadline.
   */
  private replace(index: number, why: string): void {
    this.deadThreads.push(this.threadIds[index]!);
    for (const [k, v] of Object.entries(this.counters[index]!)) this.retired[k] = (this.retired[k] ?? 0) + v;
    this.counters[index] = {};
    for (const [id, p] of this.pending) {
      if (p.worker !== index || p.posted === false) continue;
      this.settle(id, (q) => {
        this.outcomes.restarted++;
        q.reject(workerRestarted(index, why));
      });
    }
    if (this.closing) return;
    this.restarts++;
    const started = performance.now();
    const attempt = (): void => {
      if (this.closing) return;
      this.spawn(index).then(
        () => {
          const queued = this.held[index]!.splice(0);
          for (const msg of queued) this.post(index, msg);
          this.opts.onWorkerRestarted?.(index, performance.now() - started);
        },
        (err: Error) => {
          this.opts.onWorkerError?.(index, `replacement failed to start: ${err.message}; retrying`);
          setTimeout(attempt, RESTART_BACKOFF_MS).unref();
        },
      );
    };
    attempt();
  }

  /** Post to worker `index`, or hold the message while that worker is being replaced. */
  private post(index: number, msg: ToWorker): void {
    if (!this.alive[index]) {
      this.held[index]!.push(msg);
      return;
    }
    if (msg.type === 'turn') {
      const p = this.pending.get(msg.id);
      if (!p) return; // its deadline passed while held
      p.posted = true;
    }
    this.workers[index]!.postMessage(msg);
  }

  /**
   * Fault injection (GYRO_FAULT_INJECTION=1): stop worker `index` at once, mid-turn, as a fatal
   * error would (its stores stay locked, unflushed records are lost, its turns are cut off).
   */
  crashWorker(index: number): boolean {
    if (!this.alive[index]) return false;
    void this.workers[index]!.terminate();
    return true;
  }

  private attach(worker: Worker, index: number): Promise<void> {
    return new Promise((resolveReady, rejectReady) => {
      let isReady = false;
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            isReady = true;
            this.alive[index] = true;
            resolveReady();
            return;
          case 'fatal':
            if (!isReady) rejectReady(new Error(`engine worker ${index} failed to start: ${msg.message}`));
            else this.opts.onWorkerError?.(index, msg.message);
            return;
          case 'delta':
            this.pending.get(msg.id)?.onDelta?.(msg.text, msg.logprobs);
            return;
          case 'trace':
            this.pending.get(msg.id)?.onTrace?.(msg.trace);
            return;
          case 'done':
            this.counters[index] = msg.counters;
            this.storageFailure = undefined; // a turn's records were written again
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
                this.storageFailure = `agent memory cannot be written (${msg.errno ?? 'unknown'}): ${msg.message}`;
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
      });
      worker.on('error', (err) => {
        this.opts.onWorkerError?.(index, err.message);
        if (!isReady) rejectReady(new Error(`engine worker ${index} failed to start: ${err.message}`));
      });
      worker.on('exit', (code) => {
        this.alive[index] = false;
        if (!isReady) {
          rejectReady(new Error(`engine worker ${index} exited with code ${code} before it was ready`));
          return;
        }
        if (this.closed) return;
        if (!this.closing) this.opts.onWorkerError?.(index, `stopped (exit code ${code}); starting a replacement`);
        this.replace(index, `exit code ${code}`);
      });
    });
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
    return this.workers.length;
  }

  /**
   * Why agent memory cannot be written (disk full, read-only), since the last turn that failed
   * to store its records and until one succeeds; /ready answers 503 meanwhile.
   */
  storageFailure: string | undefined;
  private storageProbe: Promise<void> | undefined;
  private storageProbedAt = 0;

  /**
   * While a storage failure is latched, try a write of a turn's size under the agents folder
   * (at most once per second): when it succeeds the latch clears. Readiness must recover on its
   * own, since a load balancer sends no turn to a server whose /ready fails.
   */
  recheckStorage(): Promise<void> {
    if (this.storageFailure === undefined || this.opts.memory) return Promise.resolve();
    if (this.storageProbe) return this.storageProbe;
    if (performance.now() - this.storageProbedAt < STORAGE_PROBE_INTERVAL_MS) return Promise.resolve();
    this.storageProbedAt = performance.now();
    const failure = this.storageFailure;
    this.storageProbe = probeWritable(this.opts.privateRoot, STORAGE_PROBE_BYTES)
      .then(() => {
        if (this.storageFailure === failure) this.storageFailure = undefined;
      })
      .catch(() => {}) // still failing: the latch (and its message from the real failure) stays
      .finally(() => {
        this.storageProbe = undefined;
      });
    return this.storageProbe;
  }

  /** True while every worker runs, agent memory can be written and the pool accepts turns. */
  get ready(): boolean {
    return !this.closing && this.storageFailure === undefined && this.alive.every(Boolean);
  }

  /** Workers running now (a replacement counts once it is ready). */
  get aliveCount(): number {
    return this.alive.filter(Boolean).length;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Turns in flight per worker (for /metrics). */
  inFlightByWorker(): number[] {
    const out = new Array<number>(this.workers.length).fill(0);
    for (const p of this.pending.values()) out[p.worker]!++;
    return out;
  }

  workerFor(key: string): number {
    return hashKey(key) % this.workers.length;
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
    const flushed: FlushedAgent[] = [];
    const failed: FailedFlush[] = [];
    await Promise.all(
      this.workers.map(
        (worker, i) =>
          new Promise<void>((resolve) => {
            if (!this.alive[i]) return resolve();
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
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
    this.closed = true;
    if (failed.length) {
      throw new Error(
        `${failed.length} agent store(s) could not be flushed, their last records are lost: ${failed.map((f) => `${f.id} (${f.message})`).join('; ')}`,
      );
    }
    return flushed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
