import type { InformationEngine } from '@gyro/information';
import type { PhenotypeStore } from '@gyro/store';
import { confFromHalfBits, confToHalfBits } from '@gyro/store';
import { contextTableOf } from '../addressing.js';
import { DEFAULT_CONF, DEFAULT_MASK, nextConf, nextMask, q8 } from './learning-rule.js';

/** [SEP] moves the state but is never learned (SPEC §5). */
export const SEP_TOKEN = 102;

/**
 * Told about the writes learning makes to the states it `wants`, with the store's version of
 * that state before and after the put, so a cache can tell whether the write was the only
 * change it missed.
 */
export interface LearnWriteListener {
  wants(rep: number): boolean;
  applyWrite(rep: number, token: number, mask: number, confBits: number, versionBefore: number, versionAfter: number): void;
}

/** Outcome codes of `learnToken`. */
export const LEARN_SKIPPED = 0;
export const LEARN_WRITTEN = 1;
export const LEARN_CREATED = 2;

/**
 * Learning (SPEC §5). The store's addressing decides the key of a pre-token state (see
 * addressing.ts): canonical stores are keyed by representatives — the engine canonicalises once,
 * with the phenomenology table, and never stacks a CanonicalView on top of keys that are already
 * canonical (TODO item G) — and state stores by the exact state index.
 */
export class InferenceEngine {
  /** State index → the state the store keys it under (contextTable). */
  readonly contexts: Int32Array;
  private readonly orbitSizes: Uint32Array;
  private readonly vMax: number;
  /** The mask and confidence (a double before half rounding) of the last learned entry. */
  lastMask = 0;
  lastConf = 0;
  /** Half bits of that confidence when already known (a skipped write), else -1. */
  private lastConfBits = -1;
  /** The state the last token was learned under (its representative in a canonical store). */
  lastRep = 0;
  writeListener: LearnWriteListener | null = null;

  constructor(
    readonly info: InformationEngine,
    readonly store: PhenotypeStore,
  ) {
    this.contexts = contextTableOf(info, store);
    this.orbitSizes = info.orbitSizes;
    this.vMax = info.vMax;
  }

  /**
   * Learn `tokenId` seen from the state at `preStateIndex` (the state before the token's first
   * intron), with the token's last intron. [SEP] is not learned. Returns LEARN_SKIPPED,
   * LEARN_WRITTEN or LEARN_CREATED.
   */
  learnToken(tokenId: number, preStateIndex: number, lastIntron: number): number {
    const rep = this.contexts[preStateIndex]!;
    this.lastRep = rep;
    const store = this.store;
    const packed = store.getPacked(rep, tokenId);
    const created = packed < 0;
    const oldMask = created ? DEFAULT_MASK : (packed >>> 16) & 0xfe;
    const conf = created ? DEFAULT_CONF : confFromHalfBits(packed & 0xffff);
    const newMask = nextMask(oldMask, lastIntron);
    const newConf = nextConf(conf, oldMask, newMask, this.orbitSizes[rep]!, this.vMax);
    if (!created && newMask === oldMask && q8(newConf) === q8(conf)) {
      this.lastMask = oldMask;
      this.lastConf = conf;
      this.lastConfBits = packed & 0xffff;
      return LEARN_SKIPPED;
    }
    this.lastMask = newMask;
    this.lastConf = newConf;
    this.lastConfBits = -1;
    const listener = this.writeListener;
    if (listener === null || !listener.wants(rep)) {
      store.put(rep, tokenId, newMask, newConf);
    } else {
      const before = store.stateVersion(rep);
      store.put(rep, tokenId, newMask, newConf);
      listener.applyWrite(rep, tokenId, newMask, confToHalfBits(newConf), before, store.stateVersion(rep));
    }
    return created ? LEARN_CREATED : LEARN_WRITTEN;
  }

  /** The last learned entry as a read would return it (confidence normalised, SPEC §4.1). */
  lastEntry(): { mask: number; conf: number } {
    const bits = this.lastConfBits >= 0 ? this.lastConfBits : confToHalfBits(this.lastConf);
    return { mask: this.lastMask, conf: confFromHalfBits(bits) };
  }
}
