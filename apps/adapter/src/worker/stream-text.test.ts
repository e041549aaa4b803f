import { describe, expect, it } from 'vitest';
import { cleanUpTokenization, getTokenizer } from '@gyro/tokenizer';
import { StreamText, pieceDecoder, replyText } from './stream-text.js';

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
  const end = s.finish();
  expect(end.consistent).toBe(true);
  expect(end.text).toBe(final);
  const rest = end.rest;
  return { deltas, rest, final };
}

describe('StreamText', () => {
  it.each([
    "don't stop, we're nearly there! isn't it? yes. he's fine and they've gone.",
    'the cat sat on the mat . then it left , quickly !',
    "tokenization of unbelievably long words: antidisestablishmentarianism's ways.",
    "can ’ t and won't and i'm sure",
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
    expect(streamed + s.finish().rest).toBe(final);
    expect(replyText(pieces, ids)).toBe(final);
  });

  it('stops at [SEP] and skips special tokens, as decode does', () => {
    const ids = [
      101,
      ...tok.encodeWithoutSpecials('hello there friend'),
      100,
      ...tok.encodeWithoutSpecials('again'),
      102,
      ...tok.encodeWithoutSpecials('never shown'),
    ];
    const s = new StreamText(pieces);
    let streamed = '';
    for (const id of ids) streamed += s.push(id);
    expect(streamed + s.finish().rest).toBe('hello there friend again');
    expect(replyText(pieces, ids)).toBe('hello there friend again');
  });

  it('sends nothing that a later clean-up would change', () => {
    // "don ' t" decodes to "don't": the space before the apostrophe must not have been sent.
    const { deltas } = streamOf("well i don't know");
    expect(deltas.join('')).not.toMatch(/ '/);
  });

  it('a reply that starts with a continuation piece shows it without the ##, streamed or not', () => {
    const ids = tok.encodeWithoutSpecials('unbelievably tokenization').slice(1); // ##bel ##ie ##va ##bly token ##ization
    expect(decode(ids)).toBe('##believably tokenization'); // the tokenizer keeps it
    const s = new StreamText(pieces);
    let streamed = '';
    for (const id of [101, ...ids]) streamed += s.push(id); // a skipped special first changes nothing
    const end = s.finish();
    expect(end).toMatchObject({ consistent: true, text: 'believably tokenization' });
    expect(streamed + end.rest).toBe('believably tokenization');
    expect(replyText(pieces, [101, ...ids])).toBe('believably tokenization');
  });

  it('random replies: deltas add up to replyText, which is decode without a leading ##', () => {
    // Random ids from the whole vocabulary, as an empty store's fallbacks draw them: about one in
    // five starts with a ## piece, and punctuation and apostrophes exercise every clean-up rule.
    let seed = 12345;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    let leadingHashes = 0;
    for (let run = 0; run < 300; run++) {
      const ids = Array.from({ length: 1 + rand(60) }, () => 999 + rand(tok.vocabSize - 999));
      const s = new StreamText(pieces);
      let streamed = '';
      for (const id of ids) streamed += s.push(id);
      const end = s.finish();
      expect(end.consistent).toBe(true);
      expect(streamed + end.rest).toBe(end.text);
      expect(replyText(pieces, ids)).toBe(end.text);
      const decoded = decode(ids);
      if (decoded.startsWith('##')) leadingHashes++;
      expect(end.text).toBe(decoded.replace(/^##/, ''));
    }
    expect(leadingHashes).toBeGreaterThan(20);
  });
});
