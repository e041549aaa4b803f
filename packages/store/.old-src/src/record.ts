/**
 * The 12-byte little-endian record of SPEC §4.1, the reference's struct `<IIBHx`:
 * bytes 0-3 state, 4-7 token, 8 mask, 9-10 conf half bits, 11 pad. Read as three LE words,
 * word 2 is `mask | conf << 8 | pad << 24`.
 *
 * pad 0 is a live record (all the reference writes). pad 0xFF marks a deletion (tombstone):
 * written with mask 0x01 and conf 0, so the reference, which ignores pad, reads it as a
 * post-state (direction bit 1) entry with confidence 0, and its generator skips post-state
 * entries. Any other pad value is not a record this format knows.
 */
export const RECORD_SIZE = 12;
export const LIVE_PAD = 0x00;
export const TOMBSTONE_PAD = 0xff;
export const TOMBSTONE_MASK = 0x01;

export function recordWord2(mask: number, confBits: number, pad: number): number {
  return (mask | (confBits << 8) | (pad << 24)) >>> 0;
}

/** Write one record at byte offset `at` of `view`. */
export function writeRecord(view: DataView, at: number, state: number, token: number, word2: number): void {
  view.setUint32(at, state, true);
  view.setUint32(at + 4, token, true);
  view.setUint32(at + 8, word2, true);
}
