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
