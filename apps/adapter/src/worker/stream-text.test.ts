import { describe, expect, it } from 'vitest';
import { getTokenizer } from '@gyro/tokenizer';
import { StreamText } from './stream-text.js';

const tok = getTokenizer();
const decode = (ids: number[]) => tok.decode(ids);

function streamOf(text: string) {
  const ids = tok.encodeWithoutSpecials(text);
  const s = new StreamText(decode);
  const deltas: string[] = [];
  for (const id of ids) {
    const d = s.push(id);
    if (d) deltas.push(d);
  }
  const final = decode(ids);
  const rest = s.finish(final);
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

  it('sends nothing that a later clean-up would change', () => {
    // "don ' t" decodes to "don't": the space before the apostrophe must not have been sent.
    const { deltas } = streamOf("well i don't know");
    expect(deltas.join('')).not.toMatch(/ '/);
  });
});
