import { InvalidArgumentError } from '../errors.js';
import { HALF } from '../physics/constants.js';
import { KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import { HalfIndex, WORDS } from './half-index.js';
import type { ProgressFn } from './progress.js';

export interface Ontology {
  /** Sorted 24-bit halves; state k is halves[k] · (2^24 + 1). */
  halves: Int32Array;
  /** Sorted states (exact 48-bit integers). */
  keys: Float64Array;
  index: HalfIndex;
  /** New states at each BFS depth 1, 2, … from the start (the start itself is depth 0). */
  layers: number[];
}

/**
 * Breadth-first search from `start` under all 256 introns. The state is walked by its 24-bit
 * half (see HalfIndex), with a 2 MiB visited bitmap that then becomes the index.
 */
export function buildOntology(start: number, onProgress?: ProgressFn): Ontology {
  const startHi = Math.floor(start / HALF);
  const startHalf = start - startHi * HALF;
  if (startHi !== startHalf) throw new InvalidArgumentError(`start state 0x${start.toString(16)} has unequal halves`);
  const visited = new Int32Array(WORDS);
  let order = new Int32Array(1 << 20);
  let size = 0;
  const push = (h: number): void => {
    if (size === order.length) {
      const grown = new Int32Array(order.length * 2);
      grown.set(order);
      order = grown;
    }
    order[size++] = h;
  };
  visited[startHalf >>> 5]! |= 1 << (startHalf & 31);
  push(startHalf);
  const layers: number[] = [];
  let layerStart = 0;
  while (layerStart < size) {
    const layerEnd = size;
    for (let k = layerStart; k < layerEnd; k++) {
      const h = order[k]!;
      for (let i = 0; i < 256; i++) {
        const n = (h ^ XFORM_HALF[i]!) & KEEP_HALF[i]!;
        const w = n >>> 5;
        const bit = 1 << (n & 31);
        if ((visited[w]! & bit) === 0) {
          visited[w] = visited[w]! | bit;
          push(n);
        }
      }
      if ((k & 0x3fff) === 0) onProgress?.(size, undefined);
    }
    if (size > layerEnd) layers.push(size - layerEnd);
    layerStart = layerEnd;
  }
  onProgress?.(size, size);
  const index = HalfIndex.fromBitmap(visited);
  const halves = index.halves();
  const keys = new Float64Array(halves.length);
  for (let k = 0; k < halves.length; k++) keys[k] = halves[k]! * (HALF + 1);
  return { halves, keys, index, layers };
}
