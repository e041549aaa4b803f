import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError, clientGone, deadlineMissed, engineFailure, turnFailure, unavailable } from '../errors.js';
import { CANCEL_SLOTS, type FlushedAgent, type FromWorker, type ToWorker, type TurnRequest, type TurnResult, type WireLogprob, type WorkerCounters, type WorkerInit } from './protocol.js';

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
  timer: NodeJS.Timeout;
  worker: number;
  started: number;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** FNV-1a: a stable spread of conversation keys over workers. */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface EnginePoolOptions extends Omit<WorkerInit, 'index' | 'ownsTriad' | 'cancelFlags'> {
  workers: number;
  turnTimeoutMs: number;
  /** Called for worker-level failures (crash, fatal start-up error). */
  onWorkerError?: (index: number, message: string) => void;
}

/**
 * The HTTP thread's handle on the engine workers. Each conversation is routed to one worker by
 * its key (so its agents live in exactly one thread and its turns run in order); different
 * conversations spread over the workers and run in parallel. Every turn carries a deadline: when
 * it passes the request fails with a 504 and any late result is dropped.
 */
export class EnginePool {
  private readonly workers: Worker[] = [];
  private readonly alive: boolean[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly counters: WorkerCounters[] = [];
  /** Per worker, the slots it reads to see a running turn cancelled (see WorkerInit.cancelFlags). */
  private readonly cancelFlags: Int32Array[] = [];
  private nextId = 1;
  private closing = false;
  private closed = false;
  /** Turns answered, failed by deadline, failed by the engine, cancelled by their client (for /metrics). */
  readonly outcomes = { ok: 0, deadline: 0, engine: 0, cancelled: 0 };

  private constructor(private readonly opts: EnginePoolOptions) {}

  /** Start every worker and wait until each has loaded its engine and agents. */
  static async start(opts: EnginePoolOptions): Promise<EnginePool> {
    const pool = new EnginePool(opts);
    const entry = workerEntry();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < opts.workers; i++) {
      const { workers: _w, turnTimeoutMs: _t, onWorkerError: _e, ...rest } = opts;
      // The pool's own triad lives on the worker the default conversation (key '') routes to.
      const cancelFlags = new SharedArrayBuffer(CANCEL_SLOTS * 4);
      pool.cancelFlags.push(new Int32Array(cancelFlags));
      const init: WorkerInit = { ...rest, index: i, ownsTriad: i === hashKey('') % opts.workers, cancelFlags };
      const worker = new Worker(entry, { workerData: init });
      pool.workers.push(worker);
      pool.alive.push(true);
      pool.counters.push({});
      ready.push(pool.attach(worker, i));
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await Promise.allSettled(pool.workers.map((w) => w.terminate()));
      throw err;
    }
    return pool;
  }

  private attach(worker: Worker, index: number): Promise<void> {
    return new Promise((resolveReady, rejectReady) => {
      let isReady = false;
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            isReady = true;
            resolveReady();
            return;
          case 'fatal':
            if (!isReady) rejectReady(new Error(`engine worker ${index} failed to start: ${msg.message}`));
            else this.opts.onWorkerError?.(index, msg.message);
            return;
          case 'delta':
            this.pending.get(msg.id)?.onDelta?.(msg.text, msg.logprobs);
            return;
          case 'done':
            this.counters[index] = msg.counters;
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
        if (!isReady) rejectReady(new Error(`engine worker ${index} exited with code ${code} before it was ready`));
        // Every turn still waiting on this worker fails now, with the reason.
        for (const [id, p] of this.pending) {
          if (p.worker !== index) continue;
          this.settle(id, (q) => {
            this.outcomes.engine++;
            q.reject(engineFailure(`engine worker ${index} stopped (exit code ${code})`));
          });
        }
      });
    });
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return; // already timed out: the late result is dropped
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.signal?.removeEventListener('abort', p.onAbort);
    fn(p);
  }

  get size(): number {
    return this.workers.length;
  }

  /** True while every worker runs and the pool accepts turns. */
  get ready(): boolean {
    return !this.closing && this.alive.every(Boolean);
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
    const out: WorkerCounters = {};
    for (const c of this.counters) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
    return out;
  }

  /**
   * Run one turn on the conversation's worker; `onDelta` receives text as tokens are generated.
   * When `signal` aborts (the client went away) the turn is cancelled: a queued one never
   * starts, a running one stops at its next token, and the promise rejects with `clientGone`.
   */
  runTurn(request: TurnRequest, onDelta?: DeltaListener, signal?: AbortSignal): Promise<TurnResult> {
    if (this.closing) return Promise.reject(unavailable('the server is shutting down and accepts no new turns'));
    if (signal?.aborted) return Promise.reject(clientGone());
    const index = this.workerFor(request.conversation.key);
    if (!this.alive[index]) return Promise.reject(engineFailure(`engine worker ${index} is not running`));
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
      this.pending.set(id, { resolve, reject, onDelta, timer, worker: index, started: performance.now(), signal, onAbort });
      const msg: ToWorker = { type: 'turn', id, deadline, request };
      this.workers[index]!.postMessage(msg);
    });
  }

  /**
   * Cancel turn `id`: raise its flag (a running turn sees it at its next token, a queued one
   * when it comes up), tell the worker, and fail the request now (nobody is waiting for it).
   */
  private cancel(id: number): void {
    if (!this.raiseCancelFlag(id)) return;
    const msg: ToWorker = { type: 'cancel', id };
    this.workers[this.pending.get(id)!.worker]!.postMessage(msg);
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
    await Promise.all(
      this.workers.map(
        (worker, i) =>
          new Promise<void>((resolve) => {
            if (!this.alive[i]) return resolve();
            const onMessage = (msg: FromWorker) => {
              if (msg.type !== 'closed') return;
              flushed.push(...msg.agents);
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
    return flushed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
