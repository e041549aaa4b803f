import type { PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError } from '../errors.js';
import { elapsedSince, withStore, type MaintenanceReport } from './report.js';

export interface OrbitEntropyOptions {
  /** Tokens kept per orbit (default 64, as the reference). */
  maxTokensPerOrbit?: number | undefined;
  /** State index → orbit representative; without it each stored state is its own orbit. */
  phenomenology?: Int32Array | undefined;
}

export interface OrbitEntropyReport extends MaintenanceReport {
  orbits: number;
  maxTokensPerOrbit: number;
}

/**
 * Orbit-entropy management (SPEC §4.3): per orbit, keep the N tokens with the best score
 * `conf/Σconf · 1/(1 + ln(1 + token))`, delete the rest. Ties keep the larger token id, as the
 * reference's descending tuple sort does. Orbits with Σconf = 0 are left alone.
 */
export function applyOrbitEntropy(target: string | PhenotypeStore, options: OrbitEntropyOptions = {}): OrbitEntropyReport {
  const t0 = performance.now();
  const keep = options.maxTokensPerOrbit ?? 64;
  if (!Number.isInteger(keep) || keep < 0) throw new InvalidPhenotypeError(`maxTokensPerOrbit ${keep} must be a non-negative integer`);
  const phen = options.phenomenology;
  return withStore(target, (store) => {
    const orbits = new Map<number, Array<[state: number, token: number, conf: number]>>();
    let processed = 0;
    for (const [state, token, , conf] of store.iterEntries()) {
      processed++;
      const orbit = phen ? (phen[state] ?? state) : state;
      let list = orbits.get(orbit);
      if (!list) orbits.set(orbit, (list = []));
      list.push([state, token, conf]);
    }
    let removed = 0;
    for (const list of orbits.values()) {
      if (list.length <= keep) continue;
      let total = 0;
      for (const e of list) total += e[2];
      if (total === 0) continue;
      const score = (e: [number, number, number]) => (e[2] / total) * (1 / (1 + Math.log(1 + e[1])));
      const ranked = list.map((e) => ({ e, s: score(e) })).sort((a, b) => b.s - a.s || b.e[1] - a.e[1] || b.e[0] - a.e[0]);
      for (const { e } of ranked.slice(keep)) if (store.delete(e[0], e[1])) removed++;
    }
    return { operation: 'orbit-entropy', processed, modified: removed, milliseconds: elapsedSince(t0), orbits: orbits.size, maxTokensPerOrbit: keep };
  });
}
