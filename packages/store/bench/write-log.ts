import { writeFileSync } from 'node:fs';
import { confToHalfBits } from '../src/index.js';

/** States of the ontology: synthetic keys spread over all of them by default. */
export const STATES = 788_986;

/** Key i of a synthetic store spread over `states` states (default: every one of the 788,986). */
export const stateOf = (i: number, states = STATES) => i % states;
export const tokenOf = (i: number, states = STATES) => Math.floor(i / states) * 1000 + (i % 997);

/** Write n records straight in the file format (the writer's own speed is measured separately). */
export function writeLog(path: string, n: number, states = STATES): void {
  const chunk = 1 << 20;
  const buf = Buffer.alloc(chunk * 12);
  const parts: Buffer[] = [];
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    for (let k = 0; k < m; k++) {
      const i = start + k;
      buf.writeUInt32LE(stateOf(i, states), k * 12);
      buf.writeUInt32LE(tokenOf(i, states), k * 12 + 4);
      buf.writeUInt32LE(((i & 0xfe) | (confToHalfBits((i % 1000) / 1000) << 8)) >>> 0, k * 12 + 8);
    }
    parts.push(Buffer.from(buf.subarray(0, m * 12)));
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** `q` random keys among the first `n` of a synthetic log, with random confidences (a fixed LCG: every run asks the same). */
export function randomKeys(q: number, n: number): { qs: Uint32Array; qt: Uint32Array; qc: Float64Array } {
  const qs = new Uint32Array(q);
  const qt = new Uint32Array(q);
  const qc = new Float64Array(q);
  let r = 12345;
  for (let k = 0; k < q; k++) {
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    const i = r % n;
    qs[k] = stateOf(i);
    qt[k] = tokenOf(i);
    qc[k] = (r >>> 8) / 2 ** 24;
  }
  return { qs, qt, qc };
}
