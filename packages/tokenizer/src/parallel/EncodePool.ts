import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorRecord, RemoteError } from '@gyro/information';
import { DEFAULT_TOKENIZER } from '../bert/load.js';
import { EncodeWorkerError } from '../errors.js';
import type { EncodedBatch, PieceBatch } from './pieces.js';

export interface EncodePoolOptions {
  /** Tokenizer name or tokenizer.json path each worker loads (default bert-base-uncased). */
  tokenizer?: string;
  /** Worker threads (default: one per core). */
  threads?: number;
}

type WorkerReply = { seq: number; error?: ErrorRecord } & EncodedBatch;

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  resolve: (batch: EncodedBatch) => void;
  reject: (err: Error) => void;
  slot: Slot;
}

/**
 * The worker script beside this module: dist/encode-worker.js when built; in the sources
 * (tests run on src/) the .ts file, loaded through tsx's loader (a dev dependency).
 */
function workerScript(): { script: URL | string; eval: boolean } {
  const js = new URL('./encode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL('./encode-worker.ts', import.meta.url);
  if (existsSync(fileURLToPath(ts))) {
    const script = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts.href)}); })`;
    return { script, eval: true };
  }
  throw new EncodeWorkerError(`no encode-worker script beside ${fileURLToPath(import.meta.url)}; rebuild @gyro/tokenizer`);
}

/**
 * Worker threads that encode batches of document pieces into tape bytes. Each batch goes to
 * the least busy worker; results come back as promises, so the caller keeps input order by
 * awaiting them in order.
 */
export class EncodePool {
  readonly threads: number;
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(options: EncodePoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    const { script, eval: evaluate } = workerScript();
    for (let i = 0; i < this.threads; i++) {
      const worker = new Worker(script, {
        workerData: { tokenizer: options.tokenizer ?? DEFAULT_TOKENIZER },
        eval: evaluate,
        // Not the parent's flags: `node --input-type=module -e …` or test-runner flags break a worker.
        execArgv: [],
      });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (msg: WorkerReply) => this.settle(msg));
      worker.on('error', (err) => this.fail(new EncodeWorkerError(err.message, { cause: err })));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new EncodeWorkerError(`a worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  /** Batches sent and not yet answered, over all workers. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Encode one batch; resolves with its bytes, token and document counts. */
  encode(batch: PieceBatch): Promise<EncodedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const seq = this.seq++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, slot });
      slot.worker.postMessage({ seq, batch }, [batch.ends.buffer as ArrayBuffer, batch.flags.buffer as ArrayBuffer]);
    });
  }

  private settle(msg: WorkerReply): void {
    if (msg.seq === -1 && msg.error) {
      // The worker could not load its tokenizer: every batch, sent or to come, fails with that.
      this.fail(new EncodeWorkerError(msg.error.message, { cause: new RemoteError(msg.error) }));
      return;
    }
    const p = this.pending.get(msg.seq);
    if (!p) return;
    this.pending.delete(msg.seq);
    p.slot.inFlight--;
    // A typed error thrown in the worker (a bad token id, a tokenizer that does not load) keeps
    // its code: the worker posts its record, and EncodeWorkerError carries it revived as `cause`.
    if (msg.error !== undefined) p.reject(new EncodeWorkerError(msg.error.message, { cause: new RemoteError(msg.error) }));
    else p.resolve({ bytes: msg.bytes, tokens: msg.tokens, documents: msg.documents });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
