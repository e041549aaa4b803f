/** A small seeded PRNG (mulberry32) so property tests are reproducible from their seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random token id with every LEB128 length (1..5 bytes) equally likely, up to 2^32 - 1. */
export function randomId(rand: () => number): number {
  const bits = [7, 14, 21, 28, 32][Math.floor(rand() * 5)]!;
  return Math.floor(rand() * 2 ** bits);
}
