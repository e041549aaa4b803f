import { describe, expect, it } from 'vitest';
import { seeded, randomId } from '../../test/random.js';
import { MalformedTokenError, InvalidTokenIdError, type MalformedReason } from '../errors.js';
import { bytesToIds, idsToBytes } from './codec.js';
import { MASK_BYTE } from './mask.js';
import { TokenDecoder } from './token-decoder.js';

/** Mask unmasked LEB128 bytes for the wire. */
const wire = (introns: number[]) => Uint8Array.from(introns, (b) => b ^ MASK_BYTE);

function malformed(bytes: Uint8Array): MalformedTokenError {
  try {
    bytesToIds(bytes, 'x.gyro');
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedTokenError);
    return err as MalformedTokenError;
  }
  throw new Error('expected a MalformedTokenError');
}

describe('idsToBytes / bytesToIds', () => {
  it('masks every LEB128 byte with 0xAA', () => {
    expect([...idsToBytes([101, 1045, 102])]).toEqual([0x65 ^ 0xaa, 0x95 ^ 0xaa, 0x08 ^ 0xaa, 0x66 ^ 0xaa]);
    expect(bytesToIds(wire([0x65, 0x95, 0x08, 0x66]))).toEqual([101, 1045, 102]);
    expect(idsToBytes([])).toEqual(new Uint8Array(0));
    expect(bytesToIds(new Uint8Array(0))).toEqual([]);
  });

  it('round-trips 2,000 random id sequences of every byte length', () => {
    const rand = seeded(7);
    for (let trial = 0; trial < 2000; trial++) {
      const ids = Array.from({ length: Math.floor(rand() * 40) }, () => randomId(rand));
      expect(bytesToIds(idsToBytes(ids))).toEqual(ids);
    }
    expect(bytesToIds(idsToBytes([2 ** 32 - 1, 0]))).toEqual([2 ** 32 - 1, 0]);
  });

  it('refuses ids that are not token ids', () => {
    expect(() => idsToBytes([1, -3])).toThrow(InvalidTokenIdError);
    expect(() => idsToBytes([2 ** 32])).toThrow(InvalidTokenIdError);
  });

  it('reports more than 5 bytes, with the offset of the token', () => {
    const err = malformed(wire([0x66, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]));
    expect([err.reason, err.offset, err.length]).toEqual(['overlong', 1, 5]);
    expect(err.message).toContain('byte 1 of x.gyro');
  });

  it('reports an id of 2^32 or more in 5 bytes', () => {
    const err = malformed(wire([0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 0x10]));
    expect([err.reason, err.offset]).toEqual(['id-too-large', 2]);
  });

  it('reports a stream that ends inside a token', () => {
    const err = malformed(wire([0x66, 0x95]));
    expect([err.reason, err.offset, err.length]).toEqual(['truncated', 1, 1]);
  });

  it('decodes random streams pushed in random pieces exactly like the whole stream', () => {
    const rand = seeded(11);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
      const scan = (pieces: Uint8Array[]) => {
        const events: Array<[string, number, number]> = [];
        const decoder = new TokenDecoder({
          token: (id, start) => events.push(['token', id, start]),
          malformed: (reason: MalformedReason, start) => events.push([reason, start, 0]),
        });
        for (const p of pieces) decoder.push(p);
        decoder.finish();
        return events;
      };
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; ) {
        const n = Math.floor(rand() * 8);
        pieces.push(bytes.subarray(at, at + n));
        at += n;
      }
      const whole = scan([bytes]);
      expect(scan(pieces)).toEqual(whole);
      // Well-formed tokens in the stream are ids below 2^32 and start where the previous ended or after a fault.
      for (const [kind, id] of whole) if (kind === 'token') expect(id).toBeLessThan(2 ** 32);
    }
  });

  it('carries on after a malformed token when the sink does not throw', () => {
    const events: string[] = [];
    const decoder = new TokenDecoder({
      token: (id, start) => events.push(`${id}@${start}`),
      malformed: (reason, start) => events.push(`${reason}@${start}`),
    });
    decoder.push(wire([0x65, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x07, 0x66, 0x95]));
    decoder.finish();
    expect(events).toEqual(['101@0', 'overlong@1', '102@8', 'truncated@9']);
  });

  it('reads introns (unmasked) when the mask is 0', () => {
    const ids: number[] = [];
    const decoder = new TokenDecoder({ token: (id) => ids.push(id), malformed: () => {} }, 0);
    decoder.push(Uint8Array.from([0x65, 0x95, 0x08]));
    expect(ids).toEqual([101, 1045]);
  });
});
