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

/** A user mistake on the command line (bad flag value, missing file). */
export class UsageError extends Error {
  override name = 'UsageError';
}
