import { addressingOf, assertAddressing, type Addressing } from '../addressing.js';
import { forEachKeyOfState, type KeyVisitor, type Phenotype, type PhenotypeStore } from '../contract.js';
import { ForwardingView } from './ForwardingView.js';

/**
 * A private store over a public one (SPEC §4.2): reads try private first, writes and deletes go
 * to private. A delete removes the private entry only; a public entry of the same key then
 * shows through again (the public store is shared and never written through a view).
 * The private store is the base (ForwardingView): writes, commit, flush, close and readOnly are
 * its own; closing the view closes the private store only, the public one is shared.
 */
export class OverlayView extends ForwardingView {
  constructor(
    readonly publicStore: PhenotypeStore,
    privateStore: PhenotypeStore,
  ) {
    super(privateStore);
    // Keys of one addressing mean nothing in the other: a private layer must match the public one.
    const expected = addressingOf(publicStore);
    assertAddressing(privateStore, expected, `the private store laid over a ${expected}-addressed public store`);
  }

  /** The private layer (the base). */
  get privateStore(): PhenotypeStore {
    return this.base;
  }

  override get addressing(): Addressing {
    return addressingOf(this.publicStore);
  }

  /** Live keys of either layer, each counted once: O(private size), public keys are not scanned. */
  override get size(): number {
    let shared = 0;
    for (const [state, token] of this.privateStore.iterEntries()) {
      if (this.publicStore.getPacked(state, token) >= 0) shared++;
    }
    return this.privateStore.size + this.publicStore.size - shared;
  }

  override get(state: number, token: number): Phenotype | undefined {
    return this.privateStore.get(state, token) ?? this.publicStore.get(state, token);
  }

  override getPacked(state: number, token: number): number {
    const own = this.privateStore.getPacked(state, token);
    return own >= 0 ? own : this.publicStore.getPacked(state, token);
  }

  override *iterEntries(): IterableIterator<[number, number, number, number]> {
    yield* this.privateStore.iterEntries();
    for (const entry of this.publicStore.iterEntries()) {
      if (this.privateStore.getPacked(entry[0], entry[1]) < 0) yield entry;
    }
  }

  /** Private keys, then public keys private does not hold: one getPacked per public key. */
  override iterKeysForState(state: number): IterableIterator<number> {
    return overlayKeys(this.privateStore, this.publicStore, state);
  }

  /** Same keys and order as iterKeysForState; private values read in the walk, one private getPacked per public key. */
  override forEachKeyOfState(state: number, fn: KeyVisitor): void {
    const own = this.privateStore;
    let go = true;
    forEachKeyOfState(own, state, (token, packed) => (go = fn(token, packed) !== false));
    if (!go) return;
    forEachKeyOfState(this.publicStore, state, (token, packed) => own.getPacked(state, token) >= 0 || fn(token, packed) !== false);
  }

  /** Changes when either layer's version changes (each only grows while open). */
  override stateVersion(state: number): number {
    return (this.privateStore.stateVersion(state) + this.publicStore.stateVersion(state)) >>> 0;
  }
}

function* overlayKeys(own: PhenotypeStore, shared: PhenotypeStore, state: number): IterableIterator<number> {
  yield* own.iterKeysForState(state);
  for (const token of shared.iterKeysForState(state)) {
    if (own.getPacked(state, token) < 0) yield token;
  }
}
