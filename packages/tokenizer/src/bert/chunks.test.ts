import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { seeded } from '../../test/random.js';
import { wordnetGlosses } from '@gyro/corpus-wordnet';
import { BERT_UNCASED_CONFIG, bertUncasedDefinition } from './definition.js';
import { ChunkMemo, isChunkLocal } from './chunks.js';
import { GyroTokenizer } from './GyroTokenizer.js';
import { getTokenizer } from './load.js';
import { loadBertVocabulary } from './vocabulary.js';

// The library on its own, whole text at a time: the reference the chunked path must equal.
const definition = bertUncasedDefinition(loadBertVocabulary());
const library = new Tokenizer(definition, BERT_UNCASED_CONFIG);
const libraryIds = (text: string): number[] => library.encode(text).ids;
const tokenizer = getTokenizer();

describe('tables read without the library equal the library', () => {
  it('id ↔ token, specials around a sequence, and the library is built only when needed', () => {
    const vocab = loadBertVocabulary();
    const fresh = new GyroTokenizer('fresh', bertUncasedDefinition(vocab), BERT_UNCASED_CONFIG, vocab);
    const wrong = [...Array(library.get_vocab().size).keys()].filter(
      (id) => fresh.idToToken(id) !== library.id_to_token(id) || fresh.tokenToId(library.id_to_token(id)!) !== library.token_to_id(library.id_to_token(id)!),
    );
    expect(wrong).toEqual([]);
    expect([...fresh.prefixIds, ...fresh.suffixIds]).toEqual(library.encode('').ids);
    expect(fresh.encode('Plain ASCII, only: 42 [brackets]!')).toEqual(libraryIds('Plain ASCII, only: 42 [brackets]!'));
    expect((fresh as unknown as { library?: unknown }).library).toBeUndefined();
    expect(fresh.encode('naïve')).toEqual(libraryIds('naïve'));
    expect((fresh as unknown as { library?: unknown }).library).toBeDefined();
  });
});

describe('chunk-wise encoding gives the library ids', () => {
  it('cuts at space, tab, LF and CR only, and encodes each distinct chunk once', () => {
    const memo = new ChunkMemo();
    const seen: string[] = [];
    const fake = (chunk: string) => {
      seen.push(chunk);
      return [chunk.length, chunk.charCodeAt(0)];
    };
    const out: number[] = [];
    memo.appendIds(' a\tbc\r\n\vd\u00a0e  bc a', out, fake);
    expect(seen).toEqual(['a', 'bc', '\vd\u00a0e']);
    expect(out).toEqual([1, 97, 2, 98, 4, 11, 2, 98, 1, 97]);
    const long = 'x'.repeat(49);
    memo.appendIds(`${long} ${long}`, out, fake);
    expect(seen.slice(3)).toEqual([long, long]); // too long to remember
    expect(memo.size).toBe(3);
    expect(isChunkLocal(definition)).toBe(true);
    expect(isChunkLocal({ ...definition, pre_tokenizer: { type: 'ByteLevel' } })).toBe(false);
  });

  it('on a quarter of the WordNet glosses, one by one and joined into long texts', () => {
    const glosses = [...wordnetGlosses()].filter((_, i) => i % 4 === 0);
    expect(glosses.length).toBeGreaterThan(29_000);
    const wrong = glosses.filter((g) => tokenizer.encode(g).join() !== libraryIds(g).join());
    expect(wrong).toEqual([]);
    for (let i = 0; i < 2000; i += 100) {
      const text = glosses.slice(i, i + 100).join(i % 200 === 0 ? '\n' : '\r\n\t ');
      expect(tokenizer.encode(text)).toEqual(libraryIds(text));
    }
  });

  it('on 3,000 random strings of printable ASCII (the fast path), long words included', () => {
    const rand = seeded(77);
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const punct = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    for (let trial = 0; trial < 3000; trial++) {
      let text = '';
      const n = Math.floor(rand() * 30);
      for (let k = 0; k < n; k++) {
        const r = rand();
        if (r < 0.15) text += ' ';
        else if (r < 0.25) text += punct[Math.floor(rand() * punct.length)];
        else if (r < 0.27) text += letters[Math.floor(rand() * letters.length)]!.repeat(40 + Math.floor(rand() * 30));
        else text += letters[Math.floor(rand() * letters.length)];
      }
      expect([text, tokenizer.encode(text)]).toEqual([text, libraryIds(text)]);
    }
  });

  it('on 3,000 random strings of awkward characters', () => {
    // Whitespace of every kind, controls, combining marks, final sigma, CJK (BMP and astral),
    // special-token names, long runs, punctuation, surrogate halves, replacement character.
    const palette = [
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\v',
      '\f',
      '\u0085',
      '\u00a0',
      '\u2028',
      '\u3000',
      '\ufeff',
      '\u200b',
      '\u0000',
      '\u0007',
      '\u007f',
      '\ufffd',
      '\ud800',
      '\udc00',
      'a',
      'Z',
      'ing',
      'straw',
      'berries',
      'Hello',
      '\u0301',
      '\u0308',
      'e\u0301',
      'É',
      'ß',
      'İ',
      'Σ',
      'ΟΔΟΣ',
      'σ',
      'ς',
      "'",
      '.',
      ',',
      '!',
      '?',
      '-',
      '—',
      '(',
      '[',
      ']',
      '[SEP]',
      '[CLS]',
      '[MASK]',
      '[PAD]',
      '[UNK]',
      '[sep]',
      '東',
      '京',
      '日本',
      '𠀀',
      '😀',
      'ﬁ',
      'Ⅻ',
      '١٢٣',
      'ñ',
      'ç',
      'Å',
      '3.14',
      'x'.repeat(60),
      'ab'.repeat(40),
      '#',
      '$',
      '%',
      '~',
    ];
    const rand = seeded(2024);
    for (let trial = 0; trial < 3000; trial++) {
      let text = '';
      const n = Math.floor(rand() * 24);
      for (let k = 0; k < n; k++) text += palette[Math.floor(rand() * palette.length)];
      expect([text, tokenizer.encode(text)]).toEqual([text, libraryIds(text)]);
    }
  });
});
