import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import {
  AssetError,
  type ErrorRecord,
  GyroError,
  InformationError,
  InformationErrorCodes,
  InvalidArgumentError,
  RemoteError,
  toErrorRecord,
} from './errors.js';

describe('error codes', () => {
  it('every code is listed in the README', () => {
    expect(undocumentedCodes(InformationErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('each code object maps a code to itself', () => {
    for (const [k, v] of Object.entries(InformationErrorCodes)) expect(v).toBe(k);
  });

  it('errors carry code, hint and cause, and are instances of the package base', () => {
    const cause = new Error('ENOSPC');
    const e = new AssetError('ASSET_WRITE', '/x/epistemology.npy', 'writing failed', 'free some space', { cause });
    expect(e).toBeInstanceOf(InformationError);
    expect(e).toBeInstanceOf(GyroError);
    expect(e.code).toBe('ASSET_WRITE');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('writing failed (free some space)');
    expect(e.name).toBe('AssetError');
    expect(new InvalidArgumentError('bad').cause).toBeUndefined();
  });
});

describe('errors across threads', () => {
  it('a GyroError posted to a worker and back keeps name, code, message and hint', async () => {
    const { Worker } = await import('node:worker_threads');
    const original = new InvalidArgumentError('maxNewTokens must be ≥ 0', 'pass 0 or more');
    // The worker echoes what it receives; structured clone is the real boundary.
    const w = new Worker('require("node:worker_threads").parentPort.on("message", (m) => { require("node:worker_threads").parentPort.postMessage(m); })', {
      eval: true,
    });
    const back = await new Promise<ErrorRecord>((resolve) => {
      w.once('message', resolve);
      w.postMessage(toErrorRecord(original));
    });
    await w.terminate();
    const revived = new RemoteError(back);
    expect(revived).toBeInstanceOf(GyroError);
    expect(revived.name).toBe('InvalidArgumentError');
    expect(revived.code).toBe('INVALID_ARGUMENT');
    expect(revived.hint).toBe('pass 0 or more');
    expect(revived.message).toBe(original.message);
  });

  it('a plain Error or a thrown string has no code', () => {
    expect(toErrorRecord(new TypeError('x'))).toEqual({ name: 'TypeError', message: 'x', code: undefined, hint: undefined });
    expect(toErrorRecord('boom').message).toBe('boom');
  });
});
