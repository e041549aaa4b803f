import type { IntelligenceEngine } from '../engine/IntelligenceEngine.js';
import { SessionStateError } from '../errors.js';
import { THETA_HISTORY } from '../egress/theta-history.js';

/**
 * Session state: everything a turn continues from besides the store — the current state, the
 * bytes absorbed, the θ history, an unfinished token and the sampler's 128-bit state — as 116
 * little-endian bytes. Restored on another process, the next turn is exactly the one this process
 * would have run (the candidate cache is rebuilt from the store on demand). Version 1 layout:
 * u8 version, u8 θ next, u8 θ count, u8 0 | u32 state | f64 cycles | 8 × f64 θ ring |
 * u32 token length, f64 token value, u32 start state, u32 completed pre-state | 4 × u32 sampler.
 */
export const SESSION_BYTES = 116;
const VERSION = 1;

export function encodeSession(engine: IntelligenceEngine): Uint8Array {
  const out = new Uint8Array(SESSION_BYTES);
  const v = new DataView(out.buffer);
  const theta = engine.theta.snapshot();
  v.setUint8(0, VERSION);
  v.setUint8(1, theta.next);
  v.setUint8(2, theta.count);
  v.setUint32(4, engine.stateIndex, true);
  v.setFloat64(8, engine.cycleCount, true);
  for (let i = 0; i < THETA_HISTORY; i++) v.setFloat64(16 + 8 * i, theta.ring[i]!, true);
  const [length, value, start, completed] = engine.partialToken();
  v.setUint32(80, length, true);
  v.setFloat64(84, value, true);
  v.setUint32(92, start, true);
  v.setUint32(96, completed, true);
  engine.random.getState().forEach((w, i) => {
    v.setUint32(100 + 4 * i, w, true);
  });
  return out;
}

/** Put an engine in the session `bytes` describe; refuses bytes this version did not write. */
export function restoreSession(engine: IntelligenceEngine, bytes: Uint8Array): void {
  if (bytes.length !== SESSION_BYTES || bytes[0] !== VERSION) {
    throw new SessionStateError(`session state of ${bytes.length} bytes (version ${bytes[0]}) is not one this version wrote`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = v.getUint32(4, true);
  if (state >= engine.info.size) throw new SessionStateError(`session state names state ${state}, outside the ontology`);
  const ring = new Float64Array(THETA_HISTORY);
  for (let i = 0; i < THETA_HISTORY; i++) ring[i] = v.getFloat64(16 + 8 * i, true);
  engine.stateIndex = state;
  engine.cycleCount = v.getFloat64(8, true);
  engine.theta.restore({ ring, next: v.getUint8(1), count: v.getUint8(2) });
  engine.restorePartialToken([v.getUint32(80, true), v.getFloat64(84, true), v.getUint32(92, true), v.getUint32(96, true)]);
  engine.random.setState([0, 1, 2, 3].map((i) => v.getUint32(100 + 4 * i, true)) as [number, number, number, number]);
}
