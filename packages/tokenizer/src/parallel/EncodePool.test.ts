import { afterAll, describe, expect, it } from 'vitest';
import { goldenText } from '@gyro/tooling/golden';
import { getTokenizer } from '../bert/load.js';
import { EncodePool } from './EncodePool.js';
import { encodePieces, type DocumentPiece } from './pieces.js';

const pool = new EncodePool({ threads: 2 });
afterAll(() => pool.close());

describe('EncodePool', () => {
  it('encodes batches in worker threads to the same bytes as the main thread, in order', async () => {
    const docs = goldenText('licenses_docs.txt').split('\n').filter((d) => d.length > 0);
    const batches: DocumentPiece[][] = [];
    for (let i = 0; i < docs.length; i += 25) batches.push(docs.slice(i, i + 25).map((text) => ({ text, first: true, last: true })));
    const results = await Promise.all(batches.map((b) => pool.encode(b)));
    const tokenizer = getTokenizer();
    results.forEach((got, i) => expect(got).toEqual(encodePieces(tokenizer, batches[i]!)));
    expect(results.reduce((n, r) => n + r.documents, 0)).toBe(382);
  });
});
