import { describe, expect, it } from 'vitest';
import { goldenJson, goldenText } from '@gyro/tooling/golden';
import { getTokenizer } from './load.js';

const tokenizer = getTokenizer();
const docs = goldenText('licenses_docs.txt').split('\n');
const idLines = goldenText('licenses_ids.txt').split('\n');
// Both files end with a newline: drop the empty last element.
if (docs.at(-1) === '') docs.pop();
if (idLines.at(-1) === '') idLines.pop();

describe('golden tokenisation', () => {
  const { cases } = goldenJson<{ cases: Array<[string, number[]]> }>('tokenizer_cases.json');

  it.each(cases)('encodes %j', (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
  });

  it('encodes all 382 licence paragraphs to their golden id lines', () => {
    expect(docs).toHaveLength(382);
    expect(idLines).toHaveLength(382);
    const wrong = docs.map((doc, i) => [i, tokenizer.encode(doc).join(' ') === idLines[i]] as const).filter(([, ok]) => !ok);
    expect(wrong).toEqual([]);
  });

  it('decode(encode(x)) is the normalised text for every case and paragraph', () => {
    const texts = [...cases.map(([text]) => text), ...docs];
    const wrong = texts.filter((text) => tokenizer.decode(tokenizer.encode(text)) !== tokenizer.normalize(text));
    expect(wrong).toEqual([]);
  });

  it('normalises as documented', () => {
    expect(tokenizer.normalize('Hello, World!')).toBe('hello, world!');
    expect(tokenizer.normalize('Café déjà vu — naïve')).toBe('cafe deja vu — naive');
    expect(tokenizer.normalize('東京 is the capital of 日本.')).toBe('東 京 is the capital of 日 本.');
    expect(tokenizer.normalize("don't (parens)")).toBe("don't ( parens )");
    expect(tokenizer.normalize(`${'a'.repeat(101)} b`)).toBe('b');
    expect(tokenizer.decode(tokenizer.encode("don't (parens)"))).toBe("don't ( parens )");
  });
});
