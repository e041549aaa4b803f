import { describe, expect, it } from 'vitest';
import { cleanUpTokenization, getTokenizer } from '@gyro/tokenizer';
import { StreamText, pieceDecoder } from './stream-text.js';

const tok = getTokenizer();
const decode = (ids: number[]) => tok.decode(ids);
const pieces = pieceDecoder(tok, cleanUpTokenization);

function streamOf(text: string) {
  const ids = tok.encodeWithoutSpecials(text);
  const s = new StreamText(pieces);
  const deltas: string[] = [];
  for (const id of ids) {
    const d = s.push(id);
    if (d) deltas.push(d);
  }
  const final = decode(ids);
  const { rest, consistent } = s.finish(final);
  expect(consistent).toBe(true);
  return { deltas, rest, final };
}

describe('StreamText', () => {
  it.each([
    "don't stop, we're nearly there! isn't it? yes. he's fine and they've gone.",
    'the cat sat on the mat . then it left , quickly !',
    "tokenization of unbelievably long words: antidisestablishmentarianism's ways.",
    'can ’ t and won\'t and i\'m sure',
  ])('deltas add up to the decoded text: %s', (text) => {
    const { deltas, rest, final } = streamOf(text);
    expect(deltas.join('') + rest).toBe(final);
    // Text is streamed as it settles, not all at the end.
    expect(deltas.length).toBeGreaterThan(2);
  });

  it('long replies fold into a prefix and still add up exactly', () => {
    const words = "the sea , the sky ! don't go . it's ##ok isn't it ? we've seen 1,000 stars' light".split(' ');
    const ids: number[] = [];
    let seed = 7;
    while (ids.length < 20000) {
      seed = (seed * 48271) % 2147483647;
      ids.push(...tok.encodeWithoutSpecials(words[seed % words.length]!));
    }
    const s = new StreamText(pieces);
    let streamed = '';
    for (const id of ids) streamed += s.push(id);
    const final = decode(ids);
    expect(streamed.length).toBeGreaterThan(final.length - 100);
    expect(streamed + s.finish(final).rest).toBe(final);
  });

  it('stops at [SEP] and skips special tokens, as decode does', () => {
    const ids = [101, ...tok.encodeWithoutSpecials('hello there friend'), 100, ...tok.encodeWithoutSpecials('again'), 102, ...tok.encodeWithoutSpecials('never shown')];
    const s = new StreamText(pieces);
    let streamed = '';
    for (const id of ids) streamed += s.push(id);
    expect(streamed + s.finish(decode(ids)).rest).toBe('hello there friend again');
  });

  it('sends nothing that a later clean-up would change', () => {
    // "don ' t" decodes to "don't": the space before the apostrophe must not have been sent.
    const { deltas } = streamOf("well i don't know");
    expect(deltas.join('')).not.toMatch(/ '/);
  });
});
