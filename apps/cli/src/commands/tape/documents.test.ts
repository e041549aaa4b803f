import type { DocumentPiece } from '@gyro/tokenizer';
import { describe, expect, it } from 'vitest';
import { DocumentSplitter, MAX_PIECE, type SplitMode } from './documents.js';

/** Feed `files` in chunks of `step` characters; return the pieces and the documents they form. */
function split(mode: SplitMode, files: string[], step = 3) {
  const pieces: DocumentPiece[] = [];
  const splitter = new DocumentSplitter(mode, (p) => pieces.push(p));
  for (const file of files) {
    for (let at = 0; at < file.length; at += step) splitter.push(file.slice(at, at + step));
    splitter.endFile();
  }
  const docs: string[] = [];
  let current = '';
  for (const p of pieces) {
    if (p.first) current = '';
    current += p.text;
    if (p.last) docs.push(current);
  }
  return { pieces, docs };
}

describe('DocumentSplitter', () => {
  const text = 'one\r\ntwo two\n\n \t\r\nthree\n\n\nfour';

  it('makes documents of lines, paragraphs or files, skipping blank ones, whatever the chunking', () => {
    for (const step of [1, 2, 5, 1000]) {
      expect(split('line', [text, 'x\ny'], step).docs).toEqual(['one\r', 'two two', 'three', 'four', 'x', 'y']);
      expect(split('paragraph', [text, 'x\ny'], step).docs).toEqual(['one\r\ntwo two\n', 'three\n', 'four\n', 'x\ny\n']);
      expect(split('file', [text, '', ' \n', 'x\ny'], step).docs).toEqual([`${text}\n`, 'x\ny\n']);
    }
  });

  it('cuts a huge line into pieces at whitespace, each at most MAX_PIECE, losing nothing', () => {
    const word = 'abcdefghij ';
    const line = word.repeat(Math.ceil((2.5 * MAX_PIECE) / word.length));
    const { pieces, docs } = split('line', [`${line}\nnext`], 1 << 16);
    expect(docs).toEqual([line, 'next']);
    const ofLine = pieces.slice(0, -1);
    expect(ofLine.length).toBeGreaterThanOrEqual(3);
    expect(ofLine.map((p) => [p.first, p.last])).toEqual(ofLine.map((_, k) => [k === 0, k === ofLine.length - 1]));
    for (const p of ofLine.slice(0, -1)) {
      expect(p.text.length).toBeLessThanOrEqual(MAX_PIECE);
      expect(p.text.endsWith(' ')).toBe(true);
    }
  });

  it('cuts a run with no whitespace at MAX_PIECE, never inside a surrogate pair', () => {
    const run = `${'x'.repeat(MAX_PIECE - 1)}😀${'y'.repeat(10)}`;
    const { pieces } = split('file', [run], 1 << 16);
    // The surrogate pair moves whole into the second piece (which ends with the file's '\n').
    expect(pieces.map((p) => p.text.length)).toEqual([MAX_PIECE - 1, 2 + 10 + 1]);
    expect(pieces.map((p) => p.text).join('')).toBe(`${run}\n`);
  });
});
