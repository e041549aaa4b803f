/**
 * Every error code this package throws, in one place (fastify's style). The README's error
 * table lists each one; `src/errors.test.ts` checks that it does.
 */
export const InformationErrorCodes = {
  INVALID_INTRON: 'INVALID_INTRON',
  UNKNOWN_STATE: 'UNKNOWN_STATE',
  INDEX_OUT_OF_RANGE: 'INDEX_OUT_OF_RANGE',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  BAD_TENSOR: 'BAD_TENSOR',
  INVALID_V_MAX: 'INVALID_V_MAX',
  ASSET_MISSING: 'ASSET_MISSING',
  ASSET_CORRUPT: 'ASSET_CORRUPT',
  ASSET_COUNT_MISMATCH: 'ASSET_COUNT_MISMATCH',
  ASSET_WRITE: 'ASSET_WRITE',
  NPY_BAD_MAGIC: 'NPY_BAD_MAGIC',
  NPY_BAD_DTYPE: 'NPY_BAD_DTYPE',
  NPY_BAD_SHAPE: 'NPY_BAD_SHAPE',
  NPY_TRUNCATED: 'NPY_TRUNCATED',
  NPY_ENDIAN: 'NPY_ENDIAN',
} as const;
export type InformationErrorCode = keyof typeof InformationErrorCodes;

/**
 * Base of every typed error in the gyro packages. `code` is stable and machine-readable, one of
 * the `as const` code object of the package that throws it (each package narrows `C`); `hint`
 * says how to fix it; `cause` is the error it wraps, if any. Test a package's errors with
 * `instanceof` its base class (`StoreError`, `TokenizerError`, …), never by code prefix.
 */
export class GyroError<C extends string = string> extends Error {
  readonly code: C;
  readonly hint: string | undefined;
  constructor(code: C, message: string, hint?: string, options?: { cause?: unknown }) {
    super(hint ? `${message} (${hint})` : message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** Base of the errors of @gyro/information. */
export class InformationError extends GyroError<InformationErrorCode> {}

const BUILD_HINT = 'run `gyro assets build` to (re)build the meta-assets';

/** An intron outside 0..255 (or not an integer). */
export class InvalidIntronError extends InformationError {
  constructor(readonly intron: unknown) {
    super('INVALID_INTRON', `intron ${String(intron)} is not an integer in 0..255`, 'pass one byte value (byte ^ 0xAA)');
  }
}

/** A value that is not a 48-bit state integer, or a state the ontology does not contain. */
export class UnknownStateError extends InformationError {
  constructor(readonly state: unknown) {
    super(
      'UNKNOWN_STATE',
      `state ${String(state)}${typeof state === 'number' && Number.isSafeInteger(state) ? ` (0x${state.toString(16)})` : ''} is not in the ontology`,
      'only states reachable from the archetype have an index; use the engine’s next() to move between them',
    );
  }
}

/** An index outside 0..size-1. */
export class IndexOutOfRangeError extends InformationError {
  constructor(
    readonly index: unknown,
    readonly size: number,
  ) {
    super('INDEX_OUT_OF_RANGE', `index ${String(index)} is outside 0..${size - 1}`, 'state indices are positions in ontology_keys.npy');
  }
}

/** An argument of the wrong shape or value (a tensor that is not 48 ±1, an unknown engine mode, vMax ≤ 0). */
export class InvalidArgumentError extends InformationError {
  constructor(message: string, hint?: string) {
    super('INVALID_ARGUMENT', message, hint);
  }
}

/** Codes of AssetError: the asset and .npy codes. */
export type AssetErrorCode = Extract<InformationErrorCode, `ASSET_${string}` | `NPY_${string}`>;

/**
 * A meta-asset that is missing, unreadable, malformed (bad .npy magic, dtype, shape, truncated)
 * or inconsistent with the physics. `code` tells which; `file` names it.
 */
export class AssetError extends InformationError {
  declare readonly code: AssetErrorCode;
  constructor(
    code: AssetErrorCode,
    readonly file: string,
    message: string,
    hint: string = BUILD_HINT,
    options?: { cause?: unknown },
  ) {
    super(code, message, hint, options);
  }
}

/**
 * A failure as it crosses a thread boundary: structured clone keeps an Error's message but
 * drops `code` and `hint`, so a worker posts this and the other side revives it.
 */
export interface ErrorRecord {
  name: string;
  message: string;
  code: string | undefined;
  hint: string | undefined;
}

/** The record of any thrown value (a GyroError keeps its code and hint). */
export function toErrorRecord(err: unknown): ErrorRecord {
  if (err instanceof GyroError) return { name: err.name, message: err.message, code: err.code, hint: err.hint };
  if (err instanceof Error) return { name: err.name, message: err.message, code: undefined, hint: undefined };
  return { name: 'Error', message: String(err), code: undefined, hint: undefined };
}

/** A GyroError thrown in another thread, revived from its record: same name, code, message and hint. */
export class RemoteError extends GyroError<string> {
  constructor(record: ErrorRecord) {
    super(record.code ?? 'UNKNOWN', record.message);
    this.name = record.name;
    (this as { hint: string | undefined }).hint = record.hint;
  }
}
