import { AssetError } from '../errors.js';
import { Worker } from 'node:worker_threads';
import { KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import { lanesDigest, newLanes, updateLanes } from './content-hash.js';
import type { HalfIndex } from './half-index.js';

export interface SttFile {
  size: number;
  sha256: string;
  /** The content hash of the table (content-hash.ts), recorded in the manifest. */
  contentHash: string;
}

/** Rows of the transition table computed and written per step (8 MiB). */
export const STT_CHUNK_ROWS = 8192;

interface WorkerInput {
  path: string;
  header: Uint8Array;
  halves: Int32Array;
  table: Int32Array;
  xform: Int32Array;
  keep: Int32Array;
  /** progress[0] = rows written so far (Atomics). */
  progress: Int32Array;
  chunkRows: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the eval'd worker body gets Node's modules untyped
type Req = (id: string) => any;

/**
 * Body of the worker thread. It runs from its source text (an eval worker), so it is
 * self-contained: built-in modules come through `req`, tables through workerData. Row k, column i of the
 * table is the index of next(keys[k], i): the formula on the 24-bit half, then the rank lookup
 * of HalfIndex. Chunks are hashed and written while the next one is computed (double buffering).
 */
function sttWorkerBody(req: Req, lanesOf: { newLanes: typeof newLanes; updateLanes: typeof updateLanes; lanesDigest: typeof lanesDigest }): void {
  const { workerData, parentPort } = req('node:worker_threads');
  const { open } = req('node:fs/promises');
  const { createHash: hashOf } = req('node:crypto');
  const d = workerData as WorkerInput;
  const n = d.halves.length;
  const run = async (): Promise<SttFile> => {
    const hash = hashOf('sha256').update(d.header);
    const lanes = lanesOf.newLanes();
    const buffers = [new Int32Array(d.chunkRows * 256), new Int32Array(d.chunkRows * 256)];
    const fh = await open(d.path, 'w');
    try {
      await fh.write(d.header, 0, d.header.length, 0);
      let position = d.header.length;
      let pending: Promise<unknown> = Promise.resolve();
      const { halves, table, xform, keep } = d;
      for (let from = 0, c = 0; from < n; from += d.chunkRows, c++) {
        const to = Math.min(n, from + d.chunkRows);
        const buf = buffers[c & 1]!;
        for (let k = from; k < to; k++) {
          const h = halves[k]!;
          const base = (k - from) * 256;
          for (let i = 0; i < 256; i++) {
            const x = (h ^ xform[i]!) & keep[i]!;
            const w = x >>> 5;
            const bit = 1 << (x & 31);
            let b = table[2 * w]! & (bit - 1);
            b = b - ((b >>> 1) & 0x55555555);
            b = (b & 0x33333333) + ((b >>> 2) & 0x33333333);
            b = (b + (b >>> 4)) & 0x0f0f0f0f;
            buf[base + i] = table[2 * w + 1]! + (Math.imul(b, 0x01010101) >>> 24);
          }
        }
        const bytes = new Uint8Array(buf.buffer, 0, (to - from) * 1024);
        hash.update(bytes);
        lanesOf.updateLanes(lanes, buf.subarray(0, (to - from) * 256)); // 256 words a row: whole groups of 4
        await pending; // the other buffer's write, before that buffer is refilled
        pending = fh.write(bytes, 0, bytes.length, position).then(() => Atomics.store(d.progress, 0, to));
        position += bytes.length;
      }
      await pending;
      return { size: position, sha256: hash.digest('hex'), contentHash: lanesOf.lanesDigest(lanes) };
    } finally {
      await fh.close();
    }
  };
  run().then(
    (r) => parentPort.postMessage({ ok: true, ...r }),
    (err: Error) => parentPort.postMessage({ ok: false, message: String(err?.message) }),
  );
}

function shared<T extends Int32Array>(a: T): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export interface SttWriter {
  /** Resolves when the file is complete. */
  done: Promise<SttFile>;
  /** Rows written so far. */
  rowsWritten(): number;
  /** Stop the worker (the caller removes the partial file). */
  cancel(): Promise<void>;
}

/**
 * Compute and write the transition table (`.npy` header included) to `path` on a worker
 * thread, so the build can find the orbits on the main thread meanwhile.
 */
export function writeSttInWorker(path: string, header: Uint8Array, halves: Int32Array, index: HalfIndex): SttWriter {
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = {
    path,
    header,
    halves: shared(halves),
    table: shared(index.table),
    xform: XFORM_HALF,
    keep: KEEP_HALF,
    progress,
    chunkRows: STT_CHUNK_ROWS,
  };
  // esbuild (tsup, tsx, vitest) may wrap functions in its `__name` helper; the worker has none.
  // process.getBuiltinModule works whether the eval worker runs as CommonJS or (when the parent
  // was started with --input-type=module) as an ES module, where `require` does not exist.
  const lanes = `{ newLanes: ${newLanes.toString()}, updateLanes: ${updateLanes.toString()}, lanesDigest: ${lanesDigest.toString()} }`;
  const source = `var __name = (f) => f;\n(${sttWorkerBody.toString()})((id) => process.getBuiltinModule(id), ${lanes});`;
  const worker = new Worker(source, { eval: true, workerData: input });
  const done = new Promise<SttFile>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; size: number; sha256: string; contentHash: string; message: string }) => {
      if (m.ok) resolve({ size: m.size, sha256: m.sha256, contentHash: m.contentHash });
      else reject(new AssetError('ASSET_WRITE', path, `writing ${path}: ${m.message}`, 'check the free disk space and permissions of the assets folder'));
      void worker.terminate();
    });
    worker.once('error', (cause) =>
      reject(
        new AssetError('ASSET_WRITE', path, `the transition-table worker failed while writing ${path}: ${cause.message}`, 'run `gyro assets build` again', {
          cause,
        }),
      ),
    );
    worker.once('exit', (code) =>
      reject(
        new AssetError('ASSET_WRITE', path, `the transition-table worker stopped (exit ${code}) before finishing ${path}`, 'run `gyro assets build` again'),
      ),
    );
  });
  return {
    done,
    rowsWritten: () => Atomics.load(progress, 0),
    cancel: async () => {
      done.catch(() => undefined);
      await worker.terminate();
    },
  };
}
