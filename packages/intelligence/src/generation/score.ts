import { exonProduct } from '@gyro/information';
import { popcount8, projectState } from '@gyro/information/internals';
import type { InformationEngine } from '@gyro/information';

/** Every term of one candidate's score (SPEC §6.2) — what `gyro explain` prints. */
export interface ScoreTerms {
  token: number;
  mask: number;
  conf: number;
  exonProduct: number;
  resonance: number;
  orbitFactor: number;
  uniqueness: number;
  score: number;
}

/** 1/(1 + ln(1 + token)): rarer (higher) ids score higher. */
export function uniquenessOf(token: number): number {
  return 1 / (1 + Math.log(1 + token));
}

/** 0.7·(1 − popcount(proj ^ p)/8) + 0.3·orbitFactor. */
export function resonanceOf(proj: number, product: number, orbitFactor: number): number {
  return (1 - popcount8((proj ^ product) & 0xff) / 8) * 0.7 + orbitFactor * 0.3;
}

/** 0.3·conf + 0.3·resonance + 0.2·orbitFactor + 0.2·uniqueness, in the reference's order. */
export function combineScore(conf: number, resonance: number, orbitFactor: number, uniqueness: number): number {
  return conf * 0.3 + resonance * 0.3 + orbitFactor * 0.2 + uniqueness * 0.2;
}

/**
 * Scores candidates stored under one representative. The per-state parts (orbit size, the
 * byte projection of the state, the orbit factor) are computed once per representative.
 */
export class StateScorer {
  readonly orbitV: number;
  readonly vMax: number;
  readonly proj: number;
  readonly orbitFactor: number;

  constructor(
    info: InformationEngine,
    readonly rep: number,
  ) {
    this.orbitV = info.orbitSizes[rep]!;
    this.vMax = info.vMax;
    this.proj = projectState(info.keys[rep]!);
    this.orbitFactor = Math.min(1, this.orbitV / this.vMax);
  }

  /** The exon product of an entry (direction bit cleared). */
  product(mask: number, conf: number): number {
    return exonProduct(mask & 0xfe, conf, this.orbitV, this.vMax);
  }

  score(token: number, mask: number, conf: number): number {
    const resonance = resonanceOf(this.proj, this.product(mask, conf), this.orbitFactor);
    return combineScore(conf, resonance, this.orbitFactor, uniquenessOf(token));
  }

  terms(token: number, mask: number, conf: number): ScoreTerms {
    const p = this.product(mask, conf);
    const resonance = resonanceOf(this.proj, p, this.orbitFactor);
    const uniqueness = uniquenessOf(token);
    return {
      token,
      mask,
      conf,
      exonProduct: p,
      resonance,
      orbitFactor: this.orbitFactor,
      uniqueness,
      score: combineScore(conf, resonance, this.orbitFactor, uniqueness),
    };
  }
}
