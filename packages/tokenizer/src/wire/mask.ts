/**
 * The boundary mask GENE_Mic_S (SPEC §1): a wire byte is an intron XOR 0xAA and back.
 * Kept here as well as in @gyro/information's physics so the wire format has no runtime
 * dependency on the physics module.
 */
export const MASK_BYTE = 0xaa;

/** XOR every byte of `bytes` with 0xAA in place and return it. */
export function maskInPlace(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ MASK_BYTE;
  return bytes;
}
