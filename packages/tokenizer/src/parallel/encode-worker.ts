/**
 * Worker thread of EncodePool: loads the tokenizer named in workerData once, then answers
 * each batch of document pieces with its tape bytes (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getTokenizer } from '../bert/load.js';
import { encodePieces, type DocumentPiece } from './pieces.js';

interface Request {
  seq: number;
  pieces: DocumentPiece[];
}

const port = parentPort;
if (port) {
  const tokenizer = getTokenizer((workerData as { tokenizer: string }).tokenizer);
  port.on('message', ({ seq, pieces }: Request) => {
    try {
      const batch = encodePieces(tokenizer, pieces);
      port.postMessage({ seq, ...batch }, [batch.bytes.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ seq, error: (err as Error).message });
    }
  });
}
