import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AssetError, InvalidArgumentError } from '../errors.js';
import { npyHeader, readNpy, writeNpy } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'gyro-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AssetError);
    return (err as AssetError).code;
  }
  throw new Error('did not throw');
}

describe('.npy header', () => {
  it('is what numpy.save writes: 128 bytes, dict padded with spaces, newline last', () => {
    const h = npyHeader('<u8', [788986]);
    expect(h.length).toBe(128);
    const text = Buffer.from(h.subarray(10)).toString('latin1');
    expect(Array.from(h.subarray(0, 10))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    expect(text).toBe(`{'descr': '<u8', 'fortran_order': False, 'shape': (788986,), }${' '.repeat(55)}\n`);
    const h2 = Buffer.from(npyHeader('<i4', [788986, 256])).toString('latin1');
    expect(h2.slice(10)).toBe(`{'descr': '<i4', 'fortran_order': False, 'shape': (788986, 256), }${' '.repeat(51)}\n`);
    expect(npyHeader('<f4', [3]).length).toBe(128);
  });
});

describe('readNpy / writeNpy', () => {
  it('round-trips every dtype', () => {
    const cases = [
      [new Float64Array([0, 1, 2 ** 48 - 1, 0xa9556aa9556a, 2 ** 53 - 1]), '<u8'],
      [new Int32Array([-1, 0, 2147483647, -2147483648]), '<i4'],
      [new Uint32Array([0, 1, 4294967295]), '<u4'],
      [new Float32Array([0, 1.5, -3.25, Math.fround(Math.PI)]), '<f4'],
    ] as const;
    for (const [data, dtype] of cases) {
      const p = join(dir, `rt-${dtype.slice(1)}.npy`);
      const bytes = writeNpy(p, data, [data.length]);
      expect(bytes).toBe(128 + data.length * (dtype === '<u8' ? 8 : 4));
      const back = readNpy(p);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([data.length]);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });
  it('writes <u8 as little-endian 64-bit words', () => {
    const p = join(dir, 'u8.npy');
    writeNpy(p, new Float64Array([0x0a0b0c0d0e0f10]), [1]);
    expect(Array.from(readFileSync(p).subarray(128))).toEqual([0x10, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0]);
    expect(() => writeNpy(p, new Float64Array([2 ** 53]), [1])).toThrow(InvalidArgumentError);
  });
  it('reads 2-D shapes and into shared memory on request', () => {
    const p = join(dir, 'm.npy');
    writeNpy(
      p,
      Int32Array.from({ length: 12 }, (_, k) => k),
      [3, 4],
    );
    const m = readNpy(p, { shape: [3, 4], dtype: '<i4', shared: true });
    expect(m.shape).toEqual([3, 4]);
    expect(m.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(m.data[11]).toBe(11);
  });
  it('refuses a shape that does not match the data', () => {
    expect(() => writeNpy(join(dir, 'x.npy'), new Int32Array(5), [2, 2])).toThrow(InvalidArgumentError);
  });
});

describe('typed errors', () => {
  const good = join(dir, 'good.npy');
  writeNpy(good, new Int32Array([1, 2, 3, 4]), [4]);
  const bytes = readFileSync(good);

  it('missing file', () => {
    expect(codeOf(() => readNpy(join(dir, 'nope.npy')))).toBe('ASSET_MISSING');
  });
  it('bad magic', () => {
    const p = join(dir, 'magic.npy');
    writeFileSync(p, Buffer.concat([Buffer.from('NOTNPY'), bytes.subarray(6)]));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_MAGIC');
    writeFileSync(p, Buffer.from('hi'));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_MAGIC');
  });
  it('bad or unexpected dtype', () => {
    const p = join(dir, 'f8.npy');
    writeFileSync(p, Buffer.from(Buffer.from(bytes).toString('latin1').replace("'<i4'", "'<f8'"), 'latin1'));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_DTYPE');
    expect(codeOf(() => readNpy(good, { dtype: '<u4' }))).toBe('NPY_BAD_DTYPE');
  });
  it('unexpected shape, extra bytes, Fortran order', () => {
    expect(codeOf(() => readNpy(good, { shape: [2, 2] }))).toBe('NPY_BAD_SHAPE');
    const p = join(dir, 'long.npy');
    writeFileSync(p, Buffer.concat([bytes, Buffer.alloc(4)]));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_SHAPE');
    writeFileSync(p, Buffer.from(Buffer.from(bytes).toString('latin1').replace('False', 'True '), 'latin1'));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_SHAPE');
  });
  it('truncated data or header', () => {
    const p = join(dir, 'short.npy');
    writeFileSync(p, bytes.subarray(0, bytes.length - 1));
    expect(codeOf(() => readNpy(p))).toBe('NPY_TRUNCATED');
    writeFileSync(p, bytes.subarray(0, 40));
    expect(codeOf(() => readNpy(p))).toBe('NPY_TRUNCATED');
  });
  it('<u8 values that a double cannot hold exactly', () => {
    const p = join(dir, 'huge.npy');
    writeFileSync(p, Buffer.concat([npyHeader('<u8', [2]), Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0])]));
    expect(codeOf(() => readNpy(p))).toBe('NPY_BAD_DTYPE');
    expect(() => readNpy(p)).toThrow(/≥ 2\^53 at position 1/);
  });
  it('messages name the file and the fix', () => {
    expect(() => readNpy(join(dir, 'nope.npy'))).toThrow(/nope\.npy.*gyro assets build/);
  });
});
