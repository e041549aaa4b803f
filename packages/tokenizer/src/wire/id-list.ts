/** Where ids are appended: a plain array, or an IdList. */
export interface IdSink {
  push(id: number): unknown;
}

/**
 * A growable list of token ids in one Uint32Array, for hot paths that encode batch after batch:
 * `clear()` keeps the memory, so steady-state encoding allocates nothing per id. (Appending to a
 * fresh `number[]` per batch regrows its backing store every time, and on VMs where fresh pages
 * are slow to touch that cost more than the encoding: see the package README.)
 */
export class IdList implements IdSink {
  private buffer: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Uint32Array(Math.max(16, capacity));
  }

  push(id: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[this.length++] = id;
  }

  clear(): void {
    this.length = 0;
  }

  /** The ids so far (a view: valid until the next push or clear). */
  view(): Uint32Array {
    return this.buffer.subarray(0, this.length);
  }

  private grow(): void {
    const grown = new Uint32Array(this.buffer.length * 2);
    grown.set(this.buffer);
    this.buffer = grown;
  }
}
