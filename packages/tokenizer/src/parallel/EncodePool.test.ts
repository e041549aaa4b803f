import { afterAll, describe, expect, it } from 'vitest';
import { goldenText } from '@gyro/tooling/golden';
import { getTokenizer } from '../bert/load.js';
import { EncodeWorkerError } from '../errors.js';
import { EncodePool } from './EncodePool.js';
import { encodeBatch, encodePieces, PieceBatchBuilder, type DocumentPiece } from './pieces.js';

const pool = new EncodePool({ threads: 2 });
afterAll(() => pool.close());

describe('EncodePool', () => {
  it('encodes batches in worker threads to the same bytes as the main thread, in order', async () => {
    const docs = goldenText('licenses_docs.txt')
      .split('\n')
      .filter((d) => d.length > 0);
    const batches: DocumentPiece[][] = [];
    for (let i = 0; i < docs.length; i += 25) batches.push(docs.slice(i, i + 25).map((text) => ({ text, first: true, last: true })));
    const pack = (pieces: DocumentPiece[]) => {
      const builder = new PieceBatchBuilder();
      for (const p of pieces) builder.add(p);
      return builder.take();
    };
    const results = await Promise.all(batches.map((b) => pool.encode(pack(b))));
    const tokenizer = getTokenizer();
    results.forEach((got, i) => {
      expect(got).toEqual(encodePieces(tokenizer, batches[i]!));
    });
    expect(results.reduce((n, r) => n + r.documents, 0)).toBe(382);
    // A document cut into pieces across a batch: [CLS] on the first piece only, [SEP] on the last.
    const split = pack([
      { text: 'I like', first: true, last: false },
      { text: ' ', first: false, last: false },
      { text: 'strawberries.', first: false, last: true },
    ]);
    expect(encodeBatch(tokenizer, split)).toEqual(encodePieces(tokenizer, [{ text: 'I like strawberries.', first: true, last: true }]));
  });

  it('a typed error inside a worker keeps its code across the thread (as the cause of EncodeWorkerError)', async () => {
    const broken = new EncodePool({ threads: 1, tokenizer: '/nonexistent/tokenizer.json' });
    try {
      const builder = new PieceBatchBuilder();
      builder.add({ text: 'hello', first: true, last: true });
      const err = await broken.encode(builder.take()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EncodeWorkerError);
      expect((err as EncodeWorkerError).code).toBe('ENCODE_WORKER');
      expect((err as EncodeWorkerError).cause).toMatchObject({ name: 'TokenizerLoadError', code: 'TOKENIZER_LOAD' });
    } finally {
      await broken.close();
    }
  });
});
