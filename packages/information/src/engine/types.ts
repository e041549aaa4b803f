/**
 * The contract every other package relies on. Indices are positions in the sorted ontology
 * (0..size-1); states are 48-bit integers (exact JS numbers). Hot loops read the typed arrays
 * directly; the methods validate their arguments and throw typed errors.
 */
export interface InformationEngine {
  /** Number of states (788,986 for the full machine). */
  readonly size: number;
  /** The archetype state integer (0xA9556AA9556A) and its index (549,871). */
  readonly archetypeState: number;
  readonly archetypeIndex: number;
  /** Largest orbit (strongly connected component) size: 48,496. */
  readonly vMax: number;
  /** 'stt' reads the transition table; 'stt-free' computes transitions and hashes states. */
  readonly mode: 'stt' | 'stt-free';

  /** Index of a state; throws UnknownStateError for a state not in the ontology. */
  indexOf(state: number): number;
  /** State at an index; throws IndexOutOfRangeError. */
  stateAt(index: number): number;
  /** Index reached from `index` by `intron` (0..255); throws on a bad index or intron. */
  next(index: number, intron: number): number;
  /** θ (angular distance from the archetype) as stored in theta.npy (a float32 value). */
  theta(index: number): number;
  /** Size of the orbit of the state at `index`. */
  orbitSize(index: number): number;
  /** Smallest index in the orbit of the state at `index` (its canonical representative). */
  representative(index: number): number;
  /** The 24-bit half of the state at `index` (both halves of a state are equal); throws IndexOutOfRangeError. */
  halfOf(index: number): number;
  /**
   * Index of the state whose two halves are `half`; throws UnknownStateError for a half no
   * state of the ontology has (a half reached from one by `stepHalf` always is one).
   */
  indexOfHalf(half: number): number;

  /** Raw tables for hot loops (no checks): */
  /** Transition table, row-major [size × 256], SharedArrayBuffer-backed; null in stt-free mode. */
  readonly stt: Int32Array | null;
  readonly thetaTable: Float32Array;
  readonly phenomenology: Int32Array;
  readonly orbitSizes: Uint32Array;
  /** Sorted state integers (a Float64Array of exact 48-bit values). */
  readonly keys: Float64Array;
  /**
   * The 24-bit half of each state (keys[k] = halves[k] · (2^24 + 1)). Every XFORM and
   * BROADCAST mask is one 24-bit pattern repeated, so a walk can step halves with
   * `stepHalf` (or `(h ^ XFORM_HALF[i]) & KEEP_HALF[i]` inline: two 256-entry tables that stay
   * in L1) instead of reading the 808 MB transition table byte by byte, and turn a half into
   * an index with `indexOfHalf` only where it needs one.
   */
  readonly halves: Int32Array;
}
