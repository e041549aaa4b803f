import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenText } from '@gyro/tooling/golden';
import { getTokenizer } from '../bert/load.js';
import { SEP_ID } from '../ids.js';
import { bytesToIds, idsToBytes } from '../wire/codec.js';
import { MASK_BYTE } from '../wire/mask.js';
import { TapeScanner, tapeStats } from './scanner.js';
import { readTape, writeTape } from './tape-file.js';

const tokenizer = getTokenizer();

describe('tapes', () => {
  it('write every document as [CLS] … [SEP], in order, and read back the same bytes', () => {
    const docs = goldenText('licenses_docs.txt').split('\n').slice(0, 40);
    const idLines = goldenText('licenses_ids.txt').split('\n').slice(0, 40);
    const path = join(mkdtempSync(join(tmpdir(), 'gyro-tape-')), 'licenses.gyro');
    const report = writeTape(path, docs);
    const bytes = readTape(path);
    expect(bytesToIds(bytes)).toEqual(idLines.flatMap((line) => line.split(' ').map(Number)));
    expect(report).toEqual({ documents: 40, tokens: bytesToIds(bytes).length, bytes: bytes.length });
    expect(existsSync(`${path}.partial`)).toBe(false);
    expect(tapeStats(bytes)).toEqual({ bytes: bytes.length, tokens: report.tokens, documents: 40, malformed: 0, malformedAt: [] });
  });

  it('counts and locates malformed tokens, and keeps reading after them', () => {
    const good = idsToBytes([101, 1045, 102, 101, 2066]);
    const overlong = Uint8Array.from([0x81, 0x82, 0x83, 0x84, 0x85, 0x06], (b) => b ^ MASK_BYTE);
    const tail = Uint8Array.from([0x95 ^ MASK_BYTE]);
    const bytes = new Uint8Array([...good, ...overlong, ...idsToBytes([SEP_ID]), ...tail]);
    const docs: number[][] = [];
    const scanner = new TapeScanner({ onDocument: (ids) => docs.push(ids) });
    scanner.push(bytes.subarray(0, 4));
    scanner.push(bytes.subarray(4));
    const stats = scanner.finish();
    expect(stats).toEqual({
      bytes: bytes.length,
      tokens: 6,
      documents: 2,
      malformed: 2,
      malformedAt: [
        { offset: good.length, length: 5, reason: 'overlong' },
        { offset: bytes.length - 1, length: 1, reason: 'truncated' },
      ],
    });
    expect(docs).toEqual([
      [101, 1045, 102],
      [101, 2066, 102],
    ]);
  });

  it('count a last document left without [SEP], and an empty tape as nothing', () => {
    expect(tapeStats(idsToBytes([101, 1045, 102, 101, 2066])).documents).toBe(2);
    expect(tapeStats(new Uint8Array(0))).toEqual({ bytes: 0, tokens: 0, documents: 0, malformed: 0, malformedAt: [] });
  });

  it('encode a long document in whitespace-cut pieces exactly like the whole', () => {
    const doc = goldenText('licenses_docs.txt').split('\n').slice(0, 30).join('\n');
    const ids: number[] = [];
    const cuts = [0];
    for (let at = 500; at < doc.length; at += 700) cuts.push(doc.indexOf(' ', at) < 0 ? doc.length : doc.indexOf(' ', at));
    cuts.push(doc.length);
    for (let k = 0; k + 1 < cuts.length; k++) tokenizer.appendPiece(doc.slice(cuts[k], cuts[k + 1]), k === 0, k + 2 === cuts.length, ids);
    expect(tokenizer.chunkLocal).toBe(true);
    expect(ids).toEqual(tokenizer.encode(doc));
  });
});
