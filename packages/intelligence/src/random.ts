import { InvalidArgumentError } from './errors.js';
/**
 * A small seedable PRNG (sfc32: 128 bits of state, passes PractRand to large sizes). Generation
 * samples from it so a seeded run is reproducible; without a seed it starts from crypto entropy.
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed?: number) {
    this.reseed(seed);
  }

  /** Restart the sequence: a number seeds it deterministically, undefined seeds it randomly. */
  reseed(seed?: number): void {
    let s: number;
    if (seed === undefined) {
      const words = new Uint32Array(2);
      crypto.getRandomValues(words);
      s = words[0]! ^ (words[1]! * 0x9e3779b9);
    } else {
      if (!Number.isFinite(seed)) throw new InvalidArgumentError(`seed must be a finite number, got ${seed}`);
      // Fold the whole double (integers beyond 2^32 too) into 32 bits.
      s = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
    }
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = s >>> 0;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** The 128-bit state as four uint32 (session state: a sequence continues elsewhere exactly). */
  getState(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  setState(s: readonly [number, number, number, number]): void {
    [this.a, this.b, this.c, this.d] = [s[0] | 0, s[1] | 0, s[2] | 0, s[3] | 0];
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
