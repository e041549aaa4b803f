/** Monodromic fold of two bytes: `a ^ (b ^ (a & ~b))`, masked to 8 bits. Not commutative. */
export function fold(a: number, b: number): number {
  return (a ^ (b ^ (a & ~b))) & 0xff;
}

/** FOLD_TABLE[a * 256 + b] = fold(a, b): one read instead of the formula in hot loops. */
export const FOLD_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) t[a * 256 + b] = fold(a, b);
  return t;
})();

/** Left fold of a byte sequence from `start`. */
export function foldSequence(xs: ArrayLike<number>, start = 0): number {
  let acc = start & 0xff;
  for (let k = 0; k < xs.length; k++) acc = FOLD_TABLE[(acc << 8) | (xs[k]! & 0xff)]!;
  return acc;
}

/** The dual of a byte: all eight bits flipped. */
export function dual(x: number): number {
  return (x ^ 0xff) & 0xff;
}

/** Boundary law: byte ↔ intron by XOR with GENE_Mic_S (0xAA); its own inverse. */
export function transcribe(byte: number): number {
  return (byte ^ 0xaa) & 0xff;
}
