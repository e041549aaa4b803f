import { InvalidArgumentError } from '../errors.js';
import { HalfIndex } from '../assets/half-index.js';
import { SttEngine, SttFreeEngine, type EngineTables } from './engine.js';
import type { InformationEngine } from './types.js';

/**
 * An engine's tables as SharedArrayBuffer-backed arrays. Passed to a worker thread (workerData
 * or postMessage) they are shared, not copied, so N workers hold one 808 MB transition table.
 */
export interface SharedEngineTables {
  mode: 'stt' | 'stt-free';
  archetypeIndex: number;
  vMax: number;
  keys: Float64Array;
  halves: Int32Array;
  thetaTable: Float32Array;
  phenomenology: Int32Array;
  orbitSizes: Uint32Array;
  stt: Int32Array | null;
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array;

/** The array itself when it already lives in shared memory, else a one-time copy into it. */
function toShared<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** The shareable tables of an engine made by loadInformationEngine (either mode). */
export function shareInformationEngine(engine: InformationEngine): SharedEngineTables {
  if (!(engine instanceof SttEngine) && !(engine instanceof SttFreeEngine)) {
    throw new InvalidArgumentError('shareInformationEngine needs an engine made by loadInformationEngine');
  }
  return {
    mode: engine.mode,
    archetypeIndex: engine.archetypeIndex,
    vMax: engine.vMax,
    keys: toShared(engine.keys),
    halves: toShared(engine.halves),
    thetaTable: toShared(engine.thetaTable),
    phenomenology: toShared(engine.phenomenology),
    orbitSizes: toShared(engine.orbitSizes),
    stt: engine.stt === null ? null : toShared(engine.stt),
  };
}

/** An engine over shared tables (in a worker thread): no file is read and no table copied. */
export function informationEngineFromShared(t: SharedEngineTables): InformationEngine {
  const index = HalfIndex.fromSortedHalves(t.halves);
  if (!index) throw new InvalidArgumentError('shared engine tables are corrupt: halves are not sorted');
  const tables: EngineTables = {
    keys: t.keys,
    halves: t.halves,
    index,
    archetypeIndex: t.archetypeIndex,
    vMax: t.vMax,
    thetaTable: t.thetaTable,
    phenomenology: t.phenomenology,
    orbitSizes: t.orbitSizes,
  };
  if (t.mode === 'stt') {
    if (!t.stt) throw new InvalidArgumentError('shared engine tables in stt mode carry no transition table');
    return new SttEngine(tables, t.stt);
  }
  return new SttFreeEngine(tables);
}
