import type { PhenotypeStore } from './contract.js';
import { AddressingMismatchError } from './errors.js';

/**
 * How a store keys what it learns (the first uint32 of a record):
 * - `canonical`: by the representative of the state's orbit (SPEC §4.2; the reference's default);
 * - `state`: by the exact state index.
 * The record format is the same; the addressing is a property of a store, fixed once it holds a
 * record, and every reader and writer of the store follows it.
 */
export type Addressing = 'canonical' | 'state';
export const ADDRESSINGS: readonly Addressing[] = ['canonical', 'state'];
/** The addressing of a store that records none: the reference's. */
export const DEFAULT_ADDRESSING: Addressing = 'canonical';

export function isAddressing(value: unknown): value is Addressing {
  return value === 'canonical' || value === 'state';
}

/** A store's addressing; a backend that does not say is canonical (the reference's keying). */
export function addressingOf(store: PhenotypeStore): Addressing {
  return store.addressing ?? DEFAULT_ADDRESSING;
}

/** Throws AddressingMismatchError unless `store` has the addressing `expected`. */
export function assertAddressing(store: PhenotypeStore, expected: Addressing, what: string): void {
  const actual = addressingOf(store);
  if (actual !== expected) throw new AddressingMismatchError(what, actual, expected);
}
