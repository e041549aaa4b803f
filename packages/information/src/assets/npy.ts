import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { updateLanes } from './content-hash.js';
import { AssetError, InvalidArgumentError } from '../errors.js';

/**
 * NumPy `.npy` (format 1.0 written; 1.0–3.0 read) for the four dtypes of the meta-assets.
 * `<u8` arrays live in JS as Float64Array of exact integers (every value must be below 2^53);
 * the others map to their typed arrays. Headers are written exactly as NumPy writes them, so
 * files are byte-identical to `numpy.save`.
 */
export type NpyDtype = '<u8' | '<i4' | '<u4' | '<f4';
export type NpyData = Float64Array | Int32Array | Uint32Array | Float32Array;
export interface Npy<D extends NpyData = NpyData> {
  dtype: NpyDtype;
  shape: number[];
  data: D;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const ITEM_SIZE: Record<NpyDtype, number> = { '<u8': 8, '<i4': 4, '<u4': 4, '<f4': 4 };
const CHUNK = 1 << 26;

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new AssetError('NPY_ENDIAN', '', 'this build reads and writes .npy only on little-endian machines');
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float64Array) return '<u8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint32Array) return '<u4';
  return '<f4';
}

/** The exact header NumPy ≥ 1.23 writes for a C-order array (10-byte preamble + padded dict). */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1;
  const padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ARRAY_ALIGN);
  const text = `${dict}${' '.repeat(padlen)}\n`;
  const out = new Uint8Array(10 + text.length);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  out[8] = text.length & 0xff;
  out[9] = text.length >> 8;
  for (let k = 0; k < text.length; k++) out[10 + k] = text.charCodeAt(k);
  return out;
}

export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the data. */
  offset: number;
}

/** Parse a header from the first bytes of a file (at least 10 + header length). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  for (let k = 0; k < MAGIC.length; k++) if (bytes[k] !== MAGIC[k]) throw new AssetError('NPY_BAD_MAGIC', file, `${file} is not a .npy file (bad magic)`);
  const major = bytes[6];
  let len: number;
  let start: number;
  if (major === 1) {
    len = bytes[8]! | (bytes[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    len = (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16)) + bytes[11]! * 2 ** 24;
    start = 12;
  } else {
    throw new AssetError('NPY_BAD_MAGIC', file, `${file} has unsupported .npy version ${major}`);
  }
  if (bytes.length < start + len) throw new AssetError('NPY_TRUNCATED', file, `${file} is truncated inside its header`);
  const text = String.fromCharCode(...bytes.subarray(start, start + len));
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  if (descr !== '<u8' && descr !== '<i4' && descr !== '<u4' && descr !== '<f4')
    throw new AssetError('NPY_BAD_DTYPE', file, `${file} has dtype ${descr ?? '(none)'}; expected one of <u8 <i4 <u4 <f4`);
  if (!/'fortran_order':\s*False/.test(text)) throw new AssetError('NPY_BAD_SHAPE', file, `${file} is not in C order`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined) throw new AssetError('NPY_BAD_SHAPE', file, `${file} has no shape in its header`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new AssetError('NPY_BAD_SHAPE', file, `${file} has a malformed shape (${shapeText})`);
  return { dtype: descr, shape, offset: start + len };
}

export interface ReadNpyOptions {
  /** Refuse any other dtype. */
  dtype?: NpyDtype;
  /** Refuse any other shape. */
  shape?: readonly number[];
  /** Place the data in a SharedArrayBuffer (so worker threads can share it without copying). */
  shared?: boolean;
  /**
   * Content-hash lanes (content-hash.ts) to feed the data into as it is read, a chunk at a
   * time while it is in cache: no second pass over the array.
   */
  contentLanes?: Int32Array;
}

function readFully(fd: number, target: Uint8Array, position: number, file: string, lanes?: Int32Array): void {
  let done = 0;
  while (done < target.length) {
    const want = Math.min(HASH_CHUNK, target.length - done);
    for (let got = 0; got < want; ) {
      const n = readSync(fd, target, done + got, want - got, position + done + got);
      if (n === 0) throw new AssetError('NPY_TRUNCATED', file, `${file} ended early`);
      got += n;
    }
    // Whole chunks are whole groups of 4 words, as content-hash.ts needs.
    if (lanes) updateLanes(lanes, new Int32Array(target.buffer, target.byteOffset + done, want >>> 2));
    done += want;
  }
}

/** Bytes read (and hashed) at a time: small enough to stay in cache between the two. */
const HASH_CHUNK = 4 << 20;

/** Read a .npy file; typed AssetError for a missing file, bad magic, dtype, shape or size. */
export function readNpy(path: string, opts: ReadNpyOptions = {}): Npy {
  assertLittleEndian();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AssetError('ASSET_MISSING', path, code === 'ENOENT' ? `${path} does not exist` : `cannot open ${path} (${code})`);
  }
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 4096));
    readFully(fd, head, 0, path);
    let header = parseNpyHeader(head, path);
    if (header.offset > head.length) {
      const big = new Uint8Array(header.offset);
      readFully(fd, big, 0, path);
      header = parseNpyHeader(big, path);
    }
    if (opts.dtype && header.dtype !== opts.dtype) throw new AssetError('NPY_BAD_DTYPE', path, `${path} has dtype ${header.dtype}; expected ${opts.dtype}`);
    if (opts.shape && (opts.shape.length !== header.shape.length || opts.shape.some((d, k) => d !== header.shape[k])))
      throw new AssetError('NPY_BAD_SHAPE', path, `${path} has shape (${header.shape.join(', ')}); expected (${opts.shape.join(', ')})`);
    const count = header.shape.reduce((a, b) => a * b, 1);
    const bytes = count * ITEM_SIZE[header.dtype];
    if (size < header.offset + bytes)
      throw new AssetError('NPY_TRUNCATED', path, `${path} is truncated: ${size} bytes, its header promises ${header.offset + bytes}`);
    if (size > header.offset + bytes)
      throw new AssetError('NPY_BAD_SHAPE', path, `${path} has ${size - header.offset - bytes} bytes beyond its shape (${header.shape.join(', ')})`);
    if (header.dtype === '<u8')
      return { dtype: header.dtype, shape: header.shape, data: readU8(fd, header.offset, count, path, opts.shared, opts.contentLanes) };
    const buffer = opts.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    readFully(fd, new Uint8Array(buffer), header.offset, path, opts.contentLanes);
    return { dtype: header.dtype, shape: header.shape, data: toData(header.dtype, buffer) };
  } finally {
    closeSync(fd);
  }
}

function toData(dtype: Exclude<NpyDtype, '<u8'>, buffer: ArrayBufferLike): NpyData {
  if (dtype === '<i4') return new Int32Array(buffer);
  if (dtype === '<u4') return new Uint32Array(buffer);
  return new Float32Array(buffer);
}

/**
 * `<u8` values as exact doubles, read through a small reused buffer (fresh memory is costly:
 * only the result is allocated). Values of 2^53 or more cannot be exact and are refused.
 */
function readU8(fd: number, offset: number, count: number, file: string, shared = false, lanes?: Int32Array): Float64Array {
  const out = new Float64Array(shared ? new SharedArrayBuffer(count * 8) : new ArrayBuffer(count * 8));
  const step = 1 << 17;
  const words = new Uint32Array(step * 2);
  for (let first = 0; first < count; first += step) {
    const n = Math.min(step, count - first);
    readFully(fd, new Uint8Array(words.buffer, 0, n * 8), offset + first * 8, file);
    for (let k = 0; k < n; k++) {
      const hi = words[2 * k + 1]!;
      if (hi >= 0x200000) throw new AssetError('NPY_BAD_DTYPE', file, `${file} holds a value ≥ 2^53 at position ${first + k}`);
      out[first + k] = hi * 0x100000000 + words[2 * k]!;
    }
    // The doubles as held in memory (what a build hashes), 2^18 words a step: whole groups of 4.
    if (lanes) updateLanes(lanes, new Int32Array(out.buffer, first * 8, n * 2));
  }
  return out;
}

/** The raw little-endian bytes of an array as it is stored in the file. */
export function npyBytes(data: NpyData, dtype: NpyDtype = dtypeOf(data)): Uint8Array {
  if (dtype === '<u8') {
    if (!(data instanceof Float64Array)) throw new InvalidArgumentError('<u8 data must be a Float64Array of integers');
    const words = new Uint32Array(data.length * 2);
    for (let k = 0; k < data.length; k++) {
      const v = data[k]!;
      if (!Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) throw new InvalidArgumentError(`<u8 value ${v} at ${k} is not a safe unsigned integer`);
      const hi = Math.floor(v / 0x100000000);
      words[2 * k] = v - hi * 0x100000000;
      words[2 * k + 1] = hi;
    }
    return new Uint8Array(words.buffer);
  }
  if (dtype !== dtypeOf(data)) throw new InvalidArgumentError(`dtype ${dtype} does not match ${data.constructor.name}`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Write an array as .npy (C order). `shape` must multiply to the array's length. */
export function writeNpy(path: string, data: NpyData, shape: readonly number[], dtype: NpyDtype = dtypeOf(data)): number {
  assertLittleEndian();
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new InvalidArgumentError(`shape (${shape.join(', ')}) holds ${count} values, the array ${data.length}`);
  const header = npyHeader(dtype, shape);
  const body = npyBytes(data, dtype);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let off = 0; off < body.length; off += CHUNK) writeSync(fd, body, off, Math.min(CHUNK, body.length - off));
  } finally {
    closeSync(fd);
  }
  return header.length + body.length;
}
