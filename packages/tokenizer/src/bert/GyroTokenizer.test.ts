import { describe, expect, it } from 'vitest';
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, UNK_ID } from '../ids.js';
import { getTokenizer } from './load.js';

const tokenizer = getTokenizer();

describe('GyroTokenizer (bert-base-uncased)', () => {
  it('wraps the text in [CLS] … [SEP] unless asked not to', () => {
    expect(tokenizer.encode('I like strawberries.')).toEqual([101, 1045, 2066, 13137, 20968, 1012, 102]);
    expect(tokenizer.encodeWithoutSpecials('I like strawberries.')).toEqual([1045, 2066, 13137, 20968, 1012]);
    expect(tokenizer.encode('')).toEqual([CLS_ID, SEP_ID]);
    expect(tokenizer.encode(' \t\n ')).toEqual([CLS_ID, SEP_ID]);
    expect(tokenizer.encodeWithoutSpecials('\u0000\u0007')).toEqual([]);
  });

  it('decodes: skips specials, joins ##, stops at the first [SEP]', () => {
    expect(tokenizer.decode([CLS_ID, 1045, 2066, 13137, 20968, 1012, SEP_ID, CLS_ID, 2066, SEP_ID])).toBe('i like strawberries.');
    expect(tokenizer.decode([1045, UNK_ID, PAD_ID, MASK_ID, 2066])).toBe('i like');
    expect(tokenizer.decode(new Uint32Array([1045, 2066]))).toBe('i like');
    expect(tokenizer.decode([])).toBe('');
    expect(tokenizer.decode([SEP_ID, 1045])).toBe('');
    expect(tokenizer.decode([1045, 99_999])).toBe('i');
  });

  it('builds the library up front on request', () => {
    expect(tokenizer.prepare()).toBe(tokenizer);
    expect((tokenizer as unknown as { library?: unknown }).library).toBeDefined();
  });

  it('maps ids and tokens both ways', () => {
    expect(tokenizer.vocabSize).toBe(30_522);
    expect(tokenizer.idToToken(20968)).toBe('##berries');
    expect(tokenizer.tokenToId('[MASK]')).toBe(MASK_ID);
    expect(tokenizer.tokenToId('no-such-token')).toBeUndefined();
    expect(tokenizer.idToToken(30_522)).toBeUndefined();
  });

  it('knows its specials and its ordinary ids', () => {
    const specials = [...Array(tokenizer.vocabSize).keys()].filter((id) => tokenizer.isSpecial(id));
    expect(specials).toEqual([PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID]);
    expect(tokenizer.ordinaryIds).toHaveLength(30_522 - 5 - 994);
    const bad = [...tokenizer.ordinaryIds].filter((id) => tokenizer.isSpecial(id) || /^\[unused/.test(tokenizer.idToToken(id)!));
    expect(bad).toEqual([]);
    expect(tokenizer.ordinaryIds[0]).toBe(999);
    expect(tokenizer.ordinaryIds.at(-1)).toBe(30_521);
  });

  it('treats the names of special tokens in the text as those tokens (as Hugging Face does)', () => {
    expect(tokenizer.encodeWithoutSpecials('a [SEP] b[MASK]')).toEqual([1037, SEP_ID, 1038, MASK_ID]);
    expect(tokenizer.encodeWithoutSpecials('[sep]')).toEqual([1031, 19802, 1033]);
  });
});
