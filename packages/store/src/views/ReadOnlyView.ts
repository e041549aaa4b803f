import { addressingOf, type Addressing } from '../addressing.js';
import { forEachKeyOfState, type KeyVisitor, type Phenotype, type PhenotypeStore } from '../contract.js';
import { ReadOnlyStoreError } from '../errors.js';

/**
 * Reads pass through; put and delete throw ReadOnlyStoreError; commit and flush have nothing
 * to do. Closing the view closes the base (an agent pool shares one and closes it itself).
 */
export class ReadOnlyView implements PhenotypeStore {
  readonly readOnly = true;
  constructor(readonly base: PhenotypeStore) {}

  get addressing(): Addressing {
    return addressingOf(this.base);
  }

  get size(): number {
    return this.base.size;
  }

  get(state: number, token: number): Phenotype | undefined {
    return this.base.get(state, token);
  }

  getPacked(state: number, token: number): number {
    return this.base.getPacked(state, token);
  }

  put(): void {
    throw new ReadOnlyStoreError('ReadOnlyView');
  }

  delete(): boolean {
    throw new ReadOnlyStoreError('ReadOnlyView');
  }

  commit(): void {}

  flush(): void {}

  close(): void {
    this.base.close();
  }

  iterEntries(): IterableIterator<[number, number, number, number]> {
    return this.base.iterEntries();
  }

  iterKeysForState(state: number): IterableIterator<number> {
    return this.base.iterKeysForState(state);
  }

  forEachKeyOfState(state: number, fn: KeyVisitor): void {
    forEachKeyOfState(this.base, state, fn);
  }

  stateVersion(state: number): number {
    return this.base.stateVersion(state);
  }
}
