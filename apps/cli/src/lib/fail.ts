import { GyroError } from '@gyro/information';

/**
 * One readable line and a non-zero exit for every failure; the stack only with GYRO_DEBUG=1.
 * Commands throw; only main() decides how an error reaches the terminal.
 */
export function reportFailure(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`gyro: ${message.split('\n')[0]}\n`);
  if (process.env.GYRO_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

/** Codes of the CLI's own errors (the packages' errors keep theirs). */
export const CliErrorCodes = {
  USAGE: 'USAGE',
  MALFORMED_TAPE: 'MALFORMED_TAPE',
  ASSETS_UNVERIFIED: 'ASSETS_UNVERIFIED',
} as const;
export type CliErrorCode = keyof typeof CliErrorCodes;

/** An error of the gyro command itself. */
export class CliError extends GyroError<CliErrorCode> {}

/** A user mistake on the command line (bad flag value, missing file). */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, undefined, options);
  }
}
