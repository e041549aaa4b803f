import { addressingOf, type Addressing } from '../addressing.js';
import { forEachKeyOfState, type KeyVisitor, type Phenotype, type PhenotypeStore } from '../contract.js';

/**
 * A store that passes every operation on to one base store, the state of each keyed operation
 * mapped through `key` (the identity here). The views are this and what they change:
 * CanonicalView maps states to representatives, ReadOnlyView refuses writes, OverlayView reads
 * through to a public store behind its private base. Closing the view closes the base.
 */
export class ForwardingView implements PhenotypeStore {
  constructor(readonly base: PhenotypeStore) {}

  /** The base's key for `state`. */
  protected key(state: number): number {
    return state;
  }

  get addressing(): Addressing {
    return addressingOf(this.base);
  }

  get readOnly(): boolean {
    return this.base.readOnly;
  }

  get size(): number {
    return this.base.size;
  }

  get(state: number, token: number): Phenotype | undefined {
    return this.base.get(this.key(state), token);
  }

  getPacked(state: number, token: number): number {
    return this.base.getPacked(this.key(state), token);
  }

  put(state: number, token: number, mask: number, conf: number): void {
    this.base.put(this.key(state), token, mask, conf);
  }

  delete(state: number, token: number): boolean {
    return this.base.delete(this.key(state), token);
  }

  commit(): void {
    this.base.commit();
  }

  flush(): void {
    this.base.flush();
  }

  close(): void {
    this.base.close();
  }

  iterEntries(): IterableIterator<[number, number, number, number]> {
    return this.base.iterEntries();
  }

  iterKeysForState(state: number): IterableIterator<number> {
    return this.base.iterKeysForState(this.key(state));
  }

  forEachKeyOfState(state: number, fn: KeyVisitor): void {
    forEachKeyOfState(this.base, this.key(state), fn);
  }

  stateVersion(state: number): number {
    return this.base.stateVersion(this.key(state));
  }
}
