import type { InformationEngine } from '@gyro/information';
import { addressingOf, type Addressing, type PhenotypeStore } from '@gyro/store';

/** Identity tables (state index → itself), one per information engine, built on first use. */
const identities = new WeakMap<InformationEngine, Int32Array>();

/**
 * The one place addressing turns into keys: a table from state index to the state the store
 * keys it under — the orbit representative (`canonical`, the phenomenology map) or the state
 * itself (`state`, an identity table). Learning, candidate lookup, the candidate cache,
 * explain and maintenance all read `contexts[stateIndex]`, so neither path branches per token.
 */
export function contextTable(info: InformationEngine, addressing: Addressing): Int32Array {
  if (addressing === 'canonical') return info.phenomenology;
  let table = identities.get(info);
  if (table === undefined) {
    table = new Int32Array(info.size);
    for (let i = 0; i < table.length; i++) table[i] = i;
    identities.set(info, table);
  }
  return table;
}

/** The context table of the addressing `store` records. */
export function contextTableOf(info: InformationEngine, store: PhenotypeStore): Int32Array {
  return contextTable(info, addressingOf(store));
}
