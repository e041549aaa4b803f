import { KEEP_HALF, XFORM_HALF } from '../physics/constants.js';
import type { HalfIndex } from './half-index.js';
import type { ProgressFn } from './progress.js';

export interface Phenomenology {
  /** For each state, the smallest index in its strongly connected component. */
  representative: Int32Array;
  /** For each state, the size of its component. */
  orbitSizes: Uint32Array;
  /** Number of components. */
  count: number;
  /** Largest component size. */
  vMax: number;
}

/**
 * Strongly connected components of the full transition graph (state k → next(k, i) for all
 * 256 introns), by Tarjan's algorithm with an explicit call stack (no recursion: the DFS is
 * hundreds of thousands deep); each frame remembers the next intron to try. Successors come
 * from the transition formula and the half index, so the 808 MB table need not be in memory.
 */
export function buildPhenomenology(halves: Int32Array, index: HalfIndex, onProgress?: ProgressFn): Phenomenology {
  const n = halves.length;
  const num = new Int32Array(n); // DFS number + 1; 0 = not yet visited
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const representative = new Int32Array(n);
  const orbitSizes = new Uint32Array(n);
  let counter = 0;
  let sp = 0;
  let count = 0;
  let vMax = 0;
  for (let root = 0; root < n; root++) {
    if (num[root] !== 0) continue;
    let top = 0;
    num[root] = low[root] = ++counter;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[top] = root;
    callEdge[top++] = 0;
    while (top > 0) {
      const v = callNode[top - 1]!;
      const h = halves[v]!;
      let e = callEdge[top - 1]!;
      let lowV = low[v]!;
      let descended = false;
      while (e < 256) {
        const w = index.indexOf((h ^ XFORM_HALF[e]!) & KEEP_HALF[e]!);
        e++;
        const nw = num[w]!;
        if (nw === 0) {
          callEdge[top - 1] = e;
          low[v] = lowV;
          num[w] = low[w] = ++counter;
          if (onProgress && (counter & 0xffff) === 0) onProgress(counter, n);
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[top] = w;
          callEdge[top++] = 0;
          descended = true;
          break;
        }
        if (onStack[w] === 1 && nw < lowV) lowV = nw;
      }
      if (descended) continue;
      low[v] = lowV;
      top--;
      if (lowV === num[v]) {
        // v roots a component: everything above it on the stack.
        let min = v;
        let k = sp - 1;
        for (; stack[k] !== v; k--) if (stack[k]! < min) min = stack[k]!;
        const size = sp - k;
        for (let j = k; j < sp; j++) {
          const m = stack[j]!;
          onStack[m] = 0;
          representative[m] = min;
          orbitSizes[m] = size;
        }
        sp = k;
        count++;
        if (size > vMax) vMax = size;
      }
      if (top > 0) {
        const u = callNode[top - 1]!;
        if (lowV < low[u]!) low[u] = lowV;
      }
    }
  }
  onProgress?.(n, n);
  return { representative, orbitSizes, count, vMax };
}
