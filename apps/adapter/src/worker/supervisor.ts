import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

/** Where the built worker entry sits: beside this module in dist/ (tsup emits both). */
export function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'engine-worker.js'), join(here, 'worker', 'engine-worker.js'), join(here, '..', '..', 'dist', 'engine-worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the engine worker is not built (looked for ${candidates.join(', ')}); run \`pnpm turbo run build --filter=@gyro/adapter...\``);
  return found;
}

/** Wait before starting a replacement again when the previous one failed to start. */
const RESTART_BACKOFF_MS = 1000;

/** What the supervisor asks of its owner (the pool) and tells it. */
export interface SupervisorHooks {
  /** Worker `index`'s start-up data; `deadThreads` are the threads of workers that died (their locks may be taken over). */
  init(index: number, deadThreads: number[]): WorkerInit;
  /** A message from a running worker (delta, trace, done, failed, closed). */
  message(index: number, msg: FromWorker): void;
  /** Worker `index` died after it was ready; called before its replacement starts. */
  died(index: number, why: string): void;
  /** Called as a message goes out, held ones included; false drops it (a turn whose deadline passed while held). */
  posting(msg: ToWorker): boolean;
  /** A worker-level failure (crash, fatal error, a replacement that failed to start). */
  error?: ((index: number, message: string) => void) | undefined;
  /** A replacement is ready, `ms` after its predecessor died. */
  restarted?: ((index: number, ms: number) => void) | undefined;
}

/**
 * Keeps `count` engine workers running: starts them, replaces one that dies at once (again
 * after RESTART_BACKOFF_MS when a replacement fails to start), and holds the messages for a
 * worker being replaced until its replacement is ready.
 */
export class Supervisor {
  readonly workers: Worker[] = [];
  /** Worker i is running and has said 'ready'. */
  private readonly alive: boolean[] = [];
  /** Messages for a worker being replaced, posted once the replacement is ready. */
  private readonly held: ToWorker[][] = [];
  /** Thread ids of workers that died: their replacements take over the store locks they left. */
  private readonly deadThreads: number[] = [];
  private readonly threadIds: number[] = [];
  /** Workers replaced after they died (gyro_worker_restarts_total). */
  restarts = 0;
  /** Set by the owner when it shuts down: a worker that stops now is not replaced. */
  closing = false;
  /** Set once every worker was asked to stop: exits are expected. */
  closed = false;

  constructor(
    readonly count: number,
    private readonly hooks: SupervisorHooks,
  ) {}

  /** Start every worker and wait until each is ready; on a failure stop them all and reject. */
  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.count; i++) {
      this.alive.push(false);
      this.held.push([]);
      ready.push(this.spawn(i));
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await Promise.allSettled(this.workers.map((w) => w.terminate()));
      throw err;
    }
  }

  isAlive(index: number): boolean {
    return this.alive[index] === true;
  }

  get allAlive(): boolean {
    return this.alive.every(Boolean);
  }

  get aliveCount(): number {
    return this.alive.filter(Boolean).length;
  }

  /** Post to worker `index`, or hold the message while that worker is being replaced. */
  post(index: number, msg: ToWorker): void {
    if (!this.alive[index]) {
      this.held[index]!.push(msg);
      return;
    }
    if (this.hooks.posting(msg)) this.workers[index]!.postMessage(msg);
  }

  /**
   * Fault injection (GYRO_FAULT_INJECTION=1): stop worker `index` at once, mid-turn, as a fatal
   * error would (its stores stay locked, unflushed records are lost, its turns are cut off).
   */
  crash(index: number): boolean {
    if (!this.alive[index]) return false;
    void this.workers[index]!.terminate();
    return true;
  }

  /** Start worker `index` (first start or replacement); resolves when it is ready. */
  private spawn(index: number): Promise<void> {
    const worker = new Worker(workerEntry(), { workerData: this.hooks.init(index, [...this.deadThreads]) });
    this.workers[index] = worker;
    this.threadIds[index] = worker.threadId; // reads -1 once the thread has stopped
    return this.attach(worker, index);
  }

  /** A worker died: remember its thread, tell the owner, and start the replacement at once. */
  private replace(index: number, why: string): void {
    this.deadThreads.push(this.threadIds[index]!);
    this.hooks.died(index, why);
    if (this.closing) return;
    this.restarts++;
    const started = performance.now();
    const attempt = (): void => {
      if (this.closing) return;
      this.spawn(index).then(
        () => {
          const queued = this.held[index]!.splice(0);
          for (const msg of queued) this.post(index, msg);
          this.hooks.restarted?.(index, performance.now() - started);
        },
        (err: Error) => {
          this.hooks.error?.(index, `replacement failed to start: ${err.message}; retrying`);
          setTimeout(attempt, RESTART_BACKOFF_MS).unref();
        },
      );
    };
    attempt();
  }

  private attach(worker: Worker, index: number): Promise<void> {
    return new Promise((resolveReady, rejectReady) => {
      let isReady = false;
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          isReady = true;
          this.alive[index] = true;
          resolveReady();
        } else if (msg.type === 'fatal') {
          if (!isReady) rejectReady(new Error(`engine worker ${index} failed to start: ${msg.message}`));
          else this.hooks.error?.(index, msg.message);
        } else this.hooks.message(index, msg);
      });
      worker.on('error', (err) => {
        this.hooks.error?.(index, err.message);
        if (!isReady) rejectReady(new Error(`engine worker ${index} failed to start: ${err.message}`));
      });
      worker.on('exit', (code) => {
        this.alive[index] = false;
        if (!isReady) {
          rejectReady(new Error(`engine worker ${index} exited with code ${code} before it was ready`));
          return;
        }
        if (this.closed) return;
        if (!this.closing) this.hooks.error?.(index, `stopped (exit code ${code}); starting a replacement`);
        this.replace(index, `exit code ${code}`);
      });
    });
  }
}
