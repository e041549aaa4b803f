/**
 * Base of every typed error in the gyro packages. `code` is stable and machine-readable;
 * `hint` says how to fix it (the CLI prints message and hint on one line).
 */
export class GyroError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(hint ? `${message} (${hint})` : message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

const BUILD_HINT = 'run `gyro assets build` to (re)build the meta-assets';

/** An intron outside 0..255 (or not an integer). */
export class InvalidIntronError extends GyroError {
  constructor(readonly intron: unknown) {
    super('INVALID_INTRON', `intron ${String(intron)} is not an integer in 0..255`, 'pass one byte value (byte ^ 0xAA)');
  }
}

/** A value that is not a 48-bit state integer, or a state the ontology does not contain. */
export class UnknownStateError extends GyroError {
  constructor(readonly state: unknown) {
    super(
      'UNKNOWN_STATE',
      `state ${String(state)}${typeof state === 'number' && Number.isSafeInteger(state) ? ` (0x${state.toString(16)})` : ''} is not in the ontology`,
      'only states reachable from the archetype have an index; use the engine’s next() to move between them',
    );
  }
}

/** An index outside 0..size-1. */
export class IndexOutOfRangeError extends GyroError {
  constructor(readonly index: unknown, readonly size: number) {
    super('INDEX_OUT_OF_RANGE', `index ${String(index)} is outside 0..${size - 1}`, 'state indices are positions in ontology_keys.npy');
  }
}

/**
 * A meta-asset that is missing, unreadable, malformed (bad .npy magic, dtype, shape, truncated)
 * or inconsistent with the physics. `code` tells which; `file` names it.
 */
export class AssetError extends GyroError {
  constructor(code: string, readonly file: string, message: string, hint: string = BUILD_HINT) {
    super(code, message, hint);
  }
}
