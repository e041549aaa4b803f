/**
 * Round to the nearest integer, ties to even, on the exact binary double — Python's `round(x)`.
 * `Math.round` sends ties toward +∞, so a tie it rounds to an odd integer is moved down by one.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // r - x is exact here (r and x are within 0.5 of each other), so this detects true ties only.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
