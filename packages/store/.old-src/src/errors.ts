import { GyroError } from '@gyro/information';

/** Another process (or another open in this process) holds the single-writer lock. */
export class StoreLockedError extends GyroError {
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
export class ReadOnlyStoreError extends GyroError {
  constructor(what: string) {
    super('STORE_READ_ONLY', `${what} is read-only`, 'open the store without readOnly to write to it');
  }
}

/** The file is not a phenotype log (or is damaged beyond a torn tail). */
export class CorruptStoreError extends GyroError {
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
export class StoreIOError extends GyroError {
  readonly path: string;
  override readonly cause: unknown;
  constructor(path: string, action: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('STORE_IO', `cannot ${action} ${path}: ${reason}`, 'check the path, its permissions and the free disk space');
    this.path = path;
    this.cause = cause;
  }
}

/** A put with a key or value outside the record format (uint32 keys, 8-bit mask, conf in [0, 1]). */
export class InvalidPhenotypeError extends GyroError {
  constructor(message: string) {
    super('STORE_INVALID_PHENOTYPE', message, 'keys are uint32, mask an integer 0..255, conf a number in [0, 1]');
  }
}

/** Any use of a store after close(). */
export class StoreClosedError extends GyroError {
  constructor(what: string) {
    super('STORE_CLOSED', `${what} is closed`, 'open it again');
  }
}
