/**
 * Constants of SPEC §1. A state is a 48-bit integer held in a JS number (exact below 2^53).
 * JS bitwise operators work on 32 bits, so every 48-bit mask also exists as its two 24-bit
 * halves: bits 47..24 (hi) and bits 23..0 (lo).
 */

/** The boundary byte: intron = byte ^ GENE_MIC_S. */
export const GENE_MIC_S = 0xaa;

/** 2^24: the weight of the hi half of a 48-bit state. */
export const HALF = 0x1000000;
export const HALF_MASK = 0xffffff;

export const FULL_MASK = 0xffffffffffff;
export const FG_MASK = 0x000fff000fff;
export const BG_MASK = 0xfff000fff000;

/** Exon families of an 8-bit value. */
export const EXON_LI_MASK = 0x42;
export const EXON_FG_MASK = 0x24;
export const EXON_BG_MASK = 0x18;
export const EXON_DYNAMIC_MASK = 0x7e;

/**
 * GENE_Mac_S: ±1 tensor of shape [4,2,3,2] (layer, frame, row, col), C order. Layers 0 and 2
 * have frame 0 rows [-1, 1] and frame 1 rows [1, -1]; layers 1 and 3 the opposite.
 */
export const GENE_MAC_S: Int8Array = (() => {
  const t = new Int8Array(48);
  for (let layer = 0; layer < 4; layer++)
    for (let frame = 0; frame < 2; frame++)
      for (let row = 0; row < 3; row++) {
        const first = (layer % 2 === 0) === (frame === 0) ? -1 : 1;
        const k = ((layer * 2 + frame) * 3 + row) * 2;
        t[k] = first;
        t[k + 1] = -first;
      }
  return t;
})();

/** The 48-bit masks FULL, FG and BG are each one 24-bit pattern repeated in both halves. */
const FULL_HALF = 0xffffff;
const FG_HALF = 0x000fff;
const BG_HALF = 0xfff000;

/** XFORM[i] as a 24-bit half (both halves of the 48-bit mask are equal). */
export const XFORM_HALF: Int32Array = (() => {
  const x = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let m = 0;
    if (i & EXON_LI_MASK) m ^= FULL_HALF;
    if (i & EXON_FG_MASK) m ^= FG_HALF;
    if (i & EXON_BG_MASK) m ^= BG_HALF;
    x[i] = m;
  }
  return x;
})();

/** ~BROADCAST[i] as a 24-bit half: the bits a transition keeps. */
export const KEEP_HALF: Int32Array = (() => {
  const k = new Int32Array(256);
  for (let i = 0; i < 256; i++) k[i] = ~(i * 0x010101) & HALF_MASK;
  return k;
})();

/** XFORM[i]: the 48-bit mask a transition XORs in (SPEC §1). */
export const XFORM: Float64Array = Float64Array.from(XFORM_HALF, (h) => h * HALF + h);

/** BROADCAST[i]: byte i repeated in all six bytes of 48 bits. */
export const BROADCAST: Float64Array = Float64Array.from({ length: 256 }, (_, i) => i * 0x010101010101);
