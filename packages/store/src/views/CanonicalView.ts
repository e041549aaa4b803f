import { assertAddressing } from '../addressing.js';
import { forEachKeyOfState, type KeyVisitor, type Phenotype, type PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError } from '../errors.js';

/**
 * Keys every operation by the representative of its state's orbit (SPEC §4.2): the state is
 * mapped once through `phenomenology` (state index → representative index) and the base is
 * called once. Entries in the base are therefore keyed by representatives; iterEntries yields
 * them as stored. Closing the view closes the base.
 */
export class CanonicalView implements PhenotypeStore {
  constructor(
    readonly base: PhenotypeStore,
    readonly phenomenology: Int32Array,
  ) {
    assertAddressing(base, 'canonical', 'the base of a CanonicalView');
  }

  readonly addressing = 'canonical' as const;

  /** The representative of a state; a state outside the map is an error, not itself. */
  canonical(state: number): number {
    const rep = this.phenomenology[state];
    if (rep === undefined || !Number.isInteger(state)) {
      throw new InvalidPhenotypeError(`state ${state} is outside the phenomenology map (0..${this.phenomenology.length - 1})`);
    }
    return rep;
  }

  get size(): number {
    return this.base.size;
  }

  get readOnly(): boolean {
    return this.base.readOnly;
  }

  get(state: number, token: number): Phenotype | undefined {
    return this.base.get(this.canonical(state), token);
  }

  getPacked(state: number, token: number): number {
    return this.base.getPacked(this.canonical(state), token);
  }

  put(state: number, token: number, mask: number, conf: number): void {
    this.base.put(this.canonical(state), token, mask, conf);
  }

  delete(state: number, token: number): boolean {
    return this.base.delete(this.canonical(state), token);
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
    return this.base.iterKeysForState(this.canonical(state));
  }

  forEachKeyOfState(state: number, fn: KeyVisitor): void {
    forEachKeyOfState(this.base, this.canonical(state), fn);
  }

  stateVersion(state: number): number {
    return this.base.stateVersion(this.canonical(state));
  }
}
