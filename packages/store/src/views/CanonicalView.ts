import { assertAddressing } from '../addressing.js';
import type { PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError } from '../errors.js';
import { ForwardingView } from './ForwardingView.js';

/**
 * Keys every operation by the representative of its state's orbit (SPEC §4.2): the state is
 * mapped once through `phenomenology` (state index → representative index) and the base is
 * called once. Entries in the base are therefore keyed by representatives; iterEntries yields
 * them as stored. Closing the view closes the base.
 */
export class CanonicalView extends ForwardingView {
  constructor(
    base: PhenotypeStore,
    readonly phenomenology: Int32Array,
  ) {
    super(base);
    assertAddressing(base, 'canonical', 'the base of a CanonicalView');
  }

  override get addressing(): 'canonical' {
    return 'canonical';
  }

  /** The representative of a state; a state outside the map is an error, not itself. */
  canonical(state: number): number {
    const rep = this.phenomenology[state];
    if (rep === undefined || !Number.isInteger(state)) {
      throw new InvalidPhenotypeError(`state ${state} is outside the phenomenology map (0..${this.phenomenology.length - 1})`);
    }
    return rep;
  }

  protected override key(state: number): number {
    return this.canonical(state);
  }
}
