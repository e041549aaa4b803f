import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../bert/load.js';
import { PieceBatchBuilder, encodeBatch } from '../parallel/pieces.js';
import { idsToBytes } from './codec.js';
import { IdList } from './id-list.js';

describe('IdList', () => {
  it('grows past its capacity, keeps order, and starts over on clear', () => {
    const list = new IdList(16);
    for (let i = 0; i < 1000; i++) list.push(i * 7);
    expect(list.length).toBe(1000);
    expect(Array.from(list.view())).toEqual(Array.from({ length: 1000 }, (_, i) => i * 7));
    list.clear();
    list.push(4294967295);
    expect(Array.from(list.view())).toEqual([4294967295]);
  });

  it('lets encodeBatch reuse one list: each batch gets its own bytes', () => {
    const tokenizer = getTokenizer();
    const batch = (text: string) => {
      const b = new PieceBatchBuilder();
      b.add({ text, first: true, last: true });
      return b.take();
    };
    const first = encodeBatch(tokenizer, batch('i like strawberries'));
    const second = encodeBatch(tokenizer, batch('a much longer second document, so the list holds more ids than before'));
    expect(Array.from(first.bytes)).toEqual(Array.from(idsToBytes(tokenizer.encode('i like strawberries'))));
    expect(first.tokens).toBe(tokenizer.encode('i like strawberries').length);
    expect(Array.from(second.bytes)).toEqual(Array.from(idsToBytes(tokenizer.encode('a much longer second document, so the list holds more ids than before'))));
  });
});
