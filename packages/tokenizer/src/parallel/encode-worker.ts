/**
 * Worker thread of EncodePool: loads the tokenizer named in workerData once, then answers
 * each batch of document pieces (a PieceBatch) with its tape bytes (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getTokenizer } from '../bert/load.js';
import { encodeBatch, type PieceBatch } from './pieces.js';

interface Request {
  seq: number;
  batch: PieceBatch;
}

const port = parentPort;
if (port) {
  const tokenizer = getTokenizer((workerData as { tokenizer: string }).tokenizer);
  port.on('message', ({ seq, batch }: Request) => {
    try {
      const encoded = encodeBatch(tokenizer, batch);
      port.postMessage({ seq, ...encoded }, [encoded.bytes.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ seq, error: (err as Error).message });
    }
  });
}
