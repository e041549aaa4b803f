/**
 * Worker thread of EncodePool: loads the tokenizer named in workerData once, then answers
 * each batch of document pieces (a PieceBatch) with its tape bytes (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorRecord } from '@gyro/information';
import { getTokenizer } from '../bert/load.js';
import { encodeBatch, type PieceBatch } from './pieces.js';

interface Request {
  seq: number;
  batch: PieceBatch;
}

const port = parentPort;
if (port) {
  let tokenizer: ReturnType<typeof getTokenizer> | undefined;
  try {
    tokenizer = getTokenizer((workerData as { tokenizer: string }).tokenizer);
  } catch (err) {
    // Posted, not thrown: an uncaught error reaches the parent without its code.
    port.postMessage({ seq: -1, error: toErrorRecord(err) });
  }
  if (tokenizer) {
    const t = tokenizer;
    port.on('message', ({ seq, batch }: Request) => {
      try {
        const encoded = encodeBatch(t, batch);
        port.postMessage({ seq, ...encoded }, [encoded.bytes.buffer as ArrayBuffer]);
      } catch (err) {
        port.postMessage({ seq, error: toErrorRecord(err) });
      }
    });
  }
}
