import { GyroError } from '@gyro/information';

/** Every error code of @gyro/store (each is in the README; `src/errors.test.ts` checks). */
export const StoreErrorCodes = {
  STORE_LOCKED: 'STORE_LOCKED',
  STORE_READ_ONLY: 'STORE_READ_ONLY',
  STORE_CORRUPT: 'STORE_CORRUPT',
  STORE_IO: 'STORE_IO',
  STORE_INVALID_PHENOTYPE: 'STORE_INVALID_PHENOTYPE',
  STORE_CLOSED: 'STORE_CLOSED',
  STORE_ADDRESSING_MISMATCH: 'STORE_ADDRESSING_MISMATCH',
  STORE_VERIFY_FAILED: 'STORE_VERIFY_FAILED',
} as const;
export type StoreErrorCode = keyof typeof StoreErrorCodes;

/** Base of the errors of @gyro/store: `err instanceof StoreError` tells a store's own failure. */
export class StoreError extends GyroError<StoreErrorCode> {}

/** Another process (or another open in this process) holds the single-writer lock. */
export class StoreLockedError extends StoreError {
  readonly path: string;
  readonly pid: number | undefined;
  constructor(path: string, pid: number | undefined, lockPath: string) {
    super(
      'STORE_LOCKED',
      `store ${path} is already open for writing${pid === undefined ? '' : ` by process ${pid}`}`,
      `close the other writer, open with { readOnly: true }, or delete ${lockPath} if no such process exists`,
    );
    this.path = path;
    this.pid = pid;
  }
}

/** A write (put, delete) on a store or view that only reads. */
export class ReadOnlyStoreError extends StoreError {
  constructor(what: string) {
    super('STORE_READ_ONLY', `${what} is read-only`, 'open the store without readOnly to write to it');
  }
}

/** The file is not a phenotype log (or is damaged beyond a torn tail). */
export class CorruptStoreError extends StoreError {
  readonly path: string;
  readonly offset: number | undefined;
  constructor(path: string, message: string, offset?: number) {
    super(
      'STORE_CORRUPT',
      `${path}: ${message}${offset === undefined ? '' : ` at byte ${offset}`}`,
      'check that this is a gyro/BabyLM knowledge file; `gyro store validate --store <file>` lists the problems',
    );
    this.path = path;
    this.offset = offset;
  }
}

/** The file system refused a read or write; the store keeps every record it could not write pending. */
export class StoreIOError extends StoreError {
  readonly path: string;
  constructor(path: string, action: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('STORE_IO', `cannot ${action} ${path}: ${reason}`, 'check the path, its permissions and the free disk space', { cause });
    this.path = path;
  }
}

/** A put with a key or value outside the record format (uint32 keys, 8-bit mask, conf in [0, 1]). */
export class InvalidPhenotypeError extends StoreError {
  constructor(message: string) {
    super('STORE_INVALID_PHENOTYPE', message, 'keys are uint32, mask an integer 0..255, conf a number in [0, 1]');
  }
}

/** Any use of a store after close(). */
export class StoreClosedError extends StoreError {
  constructor(what: string) {
    super('STORE_CLOSED', `${what} is closed`, 'open it again');
  }
}

/** A store used with the other addressing than the one it records (see addressing.ts). */
export class AddressingMismatchError extends StoreError {
  readonly actual: string;
  readonly expected: string;
  constructor(what: string, actual: string, expected: string) {
    super(
      'STORE_ADDRESSING_MISMATCH',
      `${what} is keyed by ${actual} addressing, not ${expected}`,
      `open it with --addressing ${actual} or without the flag: a store's addressing is fixed once it holds a record, and stores of different addressing never mix`,
    );
    this.actual = actual;
    this.expected = expected;
  }
}

/**
 * A compaction, rewrite or merge found that the live entries it wrote differ from the live
 * entries it read, and refused to replace (or kept) the file: the original is untouched.
 */
export class StoreVerifyError extends StoreError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(
      'STORE_VERIFY_FAILED',
      `${path}: ${message}; the file was left as it was`,
      'run `gyro store validate --store <file>`; `gyro store repair --store <file>` salvages a damaged log',
    );
    this.path = path;
  }
}
