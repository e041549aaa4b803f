import { describe, expect, it } from 'vitest';
import { cleanUpTokenization, getTokenizer } from '@gyro/tokenizer';
import { ReplyText } from './reply-text.js';
import { StopStrings } from './stop-strings.js';
import { pieceDecoder } from './stream-text.js';

const tok = getTokenizer();
const pieces = pieceDecoder(tok, cleanUpTokenization);

/** Feed `text` token by token as a reply; returns what was streamed, the final text and the tokens consumed. */
function reply(text: string, stop: string[]) {
  const ids = tok.encodeWithoutSpecials(text);
  const deltas: string[] = [];
  const r = new ReplyText(pieces, stop, (d) => deltas.push(d));
  let used = 0;
  for (const id of ids) {
    r.push(id, undefined);
    used++;
    if (r.stopped) break;
  }
  const end = r.finish();
  return { streamed: deltas.join(''), deltas, text: end.text, consistent: end.consistent, used, total: ids.length };
}

describe('stop strings', () => {
  it('end the reply before the first occurrence, on the token that completes it', () => {
    const r = reply('the cat sat on the mat and then the dog sat too', ['the dog', 'mat and x']);
    expect(r.text).toBe('the cat sat on the mat and then ');
    expect(r.streamed).toBe(r.text);
    expect(r.consistent).toBe(true);
    // "dog" is the token that completes "the dog": nothing after it was generated.
    expect(r.used).toBe(tok.encodeWithoutSpecials('the cat sat on the mat and then the dog').length);
  });

  it('never stream any part of a stop string, even one that straddles tokens and clean-up', () => {
    for (const [text, stop] of [
      ["we don't know what it is", "n't kn"],
      ['alpha beta gamma delta', 'a gam'],
      ['one, two, three', ', three'],
    ] as const) {
      const r = reply(text, [stop]);
      expect(r.text).toBe(tok.decode(tok.encodeWithoutSpecials(text)).split(stop)[0]);
      for (let i = 1; i <= r.deltas.length; i++) expect(r.deltas.slice(0, i).join('')).not.toContain(stop);
      expect(r.streamed).toBe(r.text);
    }
  });

  it('leave a reply with no stop string whole, the held tail sent at the end', () => {
    const r = reply('the licence grants permission', ['permission granted', 'xyz']);
    expect(r.text).toBe('the licence grants permission');
    expect(r.streamed).toBe(r.text);
    expect(r.used).toBe(r.total);
  });

  it('holds back exactly the longest suffix that could begin a stop string', () => {
    const s = new StopStrings(['abc', 'bd']);
    expect(s.push('xxab', '')).toBe('xx');
    expect(s.push('x', '')).toBe('abx');
    expect(s.push('b', '')).toBe(''); // could begin "bd"
    expect(s.push('c', '')).toBe('bc'); // "bc" begins neither
    expect(s.stopped).toBe(false);
    // A match that reaches into the unsettled tail is found at once; the reply ends before it.
    expect(s.push('za', '')).toBe('z');
    expect(s.push('', 'bcq')).toBe('');
    expect(s.stopped).toBe(true);
    expect(s.finalText('xxabxbcza' + 'bcq')).toBe('xxabxbcz');
    expect(s.push('more', '')).toBe('');
  });
});
