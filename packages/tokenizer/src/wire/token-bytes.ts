import { SEP_ID } from '../ids.js';
import { assertTokenId, leb128Encode, leb128Length } from './leb128.js';
import { MASK_BYTE } from './mask.js';

/**
 * Ids below this get their bytes from one precomputed table (covers BERT's 30,522 and any
 * vocabulary up to 2^15); larger ids are computed once and kept in a map.
 */
const TABLE_IDS = 1 << 15;

interface ByteTable {
  masked: Uint8Array[];
  introns: Uint8Array[];
}

let table: ByteTable | undefined;
const maskedBeyond = new Map<number, Uint8Array>();
const intronsBeyond = new Map<number, Uint8Array>();

/** Build both tables at once: every view shares two flat buffers (ids < 2^14 take 2 bytes). */
function buildTable(): ByteTable {
  let total = 0;
  for (let id = 0; id < TABLE_IDS; id++) total += leb128Length(id);
  const intronBuf = new Uint8Array(total);
  const maskedBuf = new Uint8Array(total);
  const masked: Uint8Array[] = new Array(TABLE_IDS);
  const introns: Uint8Array[] = new Array(TABLE_IDS);
  let at = 0;
  for (let id = 0; id < TABLE_IDS; id++) {
    const n = leb128Encode(id, intronBuf, at);
    for (let k = at; k < at + n; k++) maskedBuf[k] = intronBuf[k]! ^ MASK_BYTE;
    introns[id] = intronBuf.subarray(at, at + n);
    masked[id] = maskedBuf.subarray(at, at + n);
    at += n;
  }
  return { masked, introns };
}

function computeBytes(id: number, masked: boolean): Uint8Array {
  assertTokenId(id);
  const out = new Uint8Array(leb128Length(id));
  leb128Encode(id, out, 0);
  if (masked) for (let k = 0; k < out.length; k++) out[k] = out[k]! ^ MASK_BYTE;
  return out;
}

/**
 * The masked wire bytes of a token (LEB128 then XOR 0xAA). Cached: the same Uint8Array comes
 * back for the same id and nothing is allocated after the first call, so the generator can
 * call it per token. The array is shared; never write into it.
 */
export function tokenBytes(id: number): Uint8Array {
  if (id >= 0 && id < TABLE_IDS && Number.isInteger(id)) return (table ??= buildTable()).masked[id]!;
  let bytes = maskedBeyond.get(id);
  if (bytes === undefined) maskedBeyond.set(id, (bytes = computeBytes(id, true)));
  return bytes;
}

/** The unmasked LEB128 bytes of a token: exactly the introns the engine applies. Cached and shared like tokenBytes. */
export function tokenIntrons(id: number): Uint8Array {
  if (id >= 0 && id < TABLE_IDS && Number.isInteger(id)) return (table ??= buildTable()).introns[id]!;
  let bytes = intronsBeyond.get(id);
  if (bytes === undefined) intronsBeyond.set(id, (bytes = computeBytes(id, false)));
  return bytes;
}

/** The masked bytes of [SEP]: id 102 is the single LEB128 byte 0x66, on the wire 0xCC. */
export const SEP_BYTES: Uint8Array = computeBytes(SEP_ID, true);
