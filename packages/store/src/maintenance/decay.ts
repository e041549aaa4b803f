import { confToHalfBits } from '../conf.js';
import type { PhenotypeStore } from '../contract.js';
import { InvalidPhenotypeError } from '../errors.js';
import { elapsedSince, withStore, type MaintenanceReport } from './report.js';

export interface DecayOptions {
  /** Global decay: conf · factor (0 < factor ≤ 1). */
  factor?: number | undefined;
  /** Engine decay: conf − rate (0 ≤ rate ≤ 1). Exactly one of factor and rate. */
  rate?: number | undefined;
  /** Decay never takes a confidence below this (default 0.01); one already below stays as it is. */
  floor?: number | undefined;
  dryRun?: boolean | undefined;
}

export interface DecayReport extends MaintenanceReport {
  mode: 'factor' | 'rate';
  amount: number;
  floor: number;
  dryRun: boolean;
}

/**
 * Confidence decay (SPEC §4.3) over every live entry. An entry counts as modified when its
 * stored half bits change; only those are written (one record each).
 */
export function decayStore(target: string | PhenotypeStore, options: DecayOptions): DecayReport {
  const t0 = performance.now();
  const { factor, rate, floor = 0.01, dryRun = false } = options;
  if ((factor === undefined) === (rate === undefined)) throw new InvalidPhenotypeError('decay needs exactly one of factor and rate');
  if (factor !== undefined && !(factor > 0 && factor <= 1)) throw new InvalidPhenotypeError(`decay factor ${factor} must be in (0, 1]`);
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new InvalidPhenotypeError(`decay rate ${rate} must be in [0, 1]`);
  if (!(floor >= 0 && floor <= 1)) throw new InvalidPhenotypeError(`decay floor ${floor} must be in [0, 1]`);
  return withStore(target, (store) => {
    let processed = 0;
    const changes: Array<[number, number, number, number]> = [];
    for (const [state, token, mask, conf] of store.iterEntries()) {
      processed++;
      const decayed = factor !== undefined ? conf * factor : conf - rate!;
      const next = decayed >= floor ? decayed : Math.min(conf, floor);
      const packed = store.getPacked(state, token);
      if (confToHalfBits(next) !== (packed & 0xffff)) changes.push([state, token, mask, next]);
    }
    if (!dryRun) for (const [s, t, m, c] of changes) store.put(s, t, m, c);
    return {
      operation: 'decay',
      processed,
      modified: changes.length,
      milliseconds: elapsedSince(t0),
      mode: factor !== undefined ? 'factor' : 'rate',
      amount: factor ?? rate!,
      floor,
      dryRun,
    };
  });
}
