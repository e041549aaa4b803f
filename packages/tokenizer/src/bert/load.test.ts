import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenizerLoadError } from '../errors.js';
import { BERT_UNCASED_CONFIG, bertUncasedDefinition } from './definition.js';
import { getTokenizer, tokenizerFileReads } from './load.js';
import { loadBertVocabulary } from './vocabulary.js';

describe('getTokenizer', () => {
  it('loads bert-base-uncased once per process; later calls read nothing', () => {
    const first = getTokenizer();
    const reads = tokenizerFileReads();
    expect(reads).toBeGreaterThan(0);
    expect(getTokenizer('bert-base-uncased')).toBe(first);
    expect(getTokenizer()).toBe(first);
    expect(tokenizerFileReads()).toBe(reads);
  });

  it('loads a Hugging Face tokenizer.json by path, once, and encodes like the built-in one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyro-tok-'));
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, JSON.stringify(bertUncasedDefinition(loadBertVocabulary())));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(BERT_UNCASED_CONFIG));
    const before = tokenizerFileReads();
    const fromFile = getTokenizer(path);
    expect(tokenizerFileReads()).toBe(before + 2);
    expect(getTokenizer(join(dir, '.', 'tokenizer.json'))).toBe(fromFile);
    expect(tokenizerFileReads()).toBe(before + 2);
    expect(fromFile).not.toBe(getTokenizer());
    const text = 'Café déjà vu — naïve coöperation; 東京 [SEP] e-mail!';
    expect(fromFile.encode(text)).toEqual(getTokenizer().encode(text));
    expect(fromFile.decode(fromFile.encode(text))).toBe(getTokenizer().decode(getTokenizer().encode(text)));
  });

  it('runs a tokenizer.json of another kind through the library as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyro-tok-'));
    const path = join(dir, 'tokenizer.json');
    const vocab = { '<unk>': 0, hello: 1, world: 2, '!': 3 };
    writeFileSync(
      path,
      JSON.stringify({ model: { type: 'WordPiece', vocab, unk_token: '<unk>', continuing_subword_prefix: '##' }, pre_tokenizer: { type: 'Whitespace' } }),
    );
    const tok = getTokenizer(path);
    expect(tok.encode('hello world !')).toEqual([1, 2, 3]);
    expect(tok.encode('hello there')).toEqual([1, 0]);
    expect(tok.vocabSize).toBe(4);
    expect(tok.sepId).toBe(-1);
  });

  it('says what is wrong with a bad path or file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyro-tok-'));
    expect(() => getTokenizer(join(dir, 'missing.json'))).toThrow(TokenizerLoadError);
    expect(() => getTokenizer(join(dir, 'missing.json'))).toThrow(/no such file/);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(() => getTokenizer(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'nomodel.json'), '{"normalizer": null}');
    expect(() => getTokenizer(join(dir, 'nomodel.json'))).toThrow(/no "model" section/);
  });
});
