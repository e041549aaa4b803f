/** The last 8 θ values (SPEC §6.1), a fixed ring of doubles. */
export const THETA_HISTORY = 8;

export class ThetaHistory {
  private readonly ring = new Float64Array(THETA_HISTORY);
  private next = 0;
  /** Values recorded so far (capped at 8). */
  count = 0;

  push(theta: number): void {
    this.ring[this.next] = theta;
    this.next = (this.next + 1) & (THETA_HISTORY - 1);
    if (this.count < THETA_HISTORY) this.count++;
  }

  /** Most recent value, or `fallback` when nothing was recorded. */
  last(fallback = 0): number {
    return this.count === 0 ? fallback : this.ring[(this.next + THETA_HISTORY - 1) & (THETA_HISTORY - 1)]!;
  }

  /** Oldest first. */
  values(): number[] {
    const out: number[] = [];
    for (let i = this.count; i > 0; i--) out.push(this.ring[(this.next + THETA_HISTORY - i) & (THETA_HISTORY - 1)]!);
    return out;
  }

  /** Population standard deviation of the recorded values (NaN when empty). */
  std(): number {
    if (this.count === 0) return NaN;
    let mean = 0;
    for (let i = 0; i < this.count; i++) mean += this.ring[i]!;
    mean /= this.count;
    let v = 0;
    for (let i = 0; i < this.count; i++) v += (this.ring[i]! - mean) ** 2;
    return Math.sqrt(v / this.count);
  }

  /** The ring as it is (slot order), its write position and count, for session state. */
  snapshot(): { ring: Float64Array; next: number; count: number } {
    return { ring: this.ring.slice(), next: this.next, count: this.count };
  }

  restore(s: { ring: ArrayLike<number>; next: number; count: number }): void {
    this.ring.set(s.ring);
    this.next = s.next & (THETA_HISTORY - 1);
    this.count = Math.min(s.count, THETA_HISTORY);
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}
