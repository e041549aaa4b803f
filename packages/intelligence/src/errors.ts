import { GyroError, InvalidArgumentError } from '@gyro/information';

/**
 * Every error code of @gyro/intelligence (each is in the README; `src/errors.test.ts` checks).
 * A bad argument is @gyro/information's `InvalidArgumentError` (`INVALID_ARGUMENT`), re-exported.
 */
export const IntelligenceErrorCodes = {
  UNKNOWN_AGENT: 'UNKNOWN_AGENT',
  INPUT_TOO_LARGE: 'INPUT_TOO_LARGE',
  CLOSED: 'CLOSED',
  INVALID_PREFERENCE: 'INVALID_PREFERENCE',
  SESSION_STATE_INVALID: 'SESSION_STATE_INVALID',
} as const;
export type IntelligenceErrorCode = keyof typeof IntelligenceErrorCodes;

/** Base of the errors of @gyro/intelligence. */
export class IntelligenceError extends GyroError<IntelligenceErrorCode> {}

export { InvalidArgumentError };

/** The pool has no agent by that id and auto-creation is off for it. */
export class UnknownAgentError extends IntelligenceError {
  constructor(readonly agentId: string) {
    super(
      'UNKNOWN_AGENT',
      `agent "${agentId}" does not exist in the pool`,
      'create it with pool.createAgent(id), call pool.ensureTriad(), or allow auto-creation',
    );
  }
}

/** Input over the configured byte limit: refused before any of it is learned. */
export class InputTooLargeError extends IntelligenceError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super('INPUT_TOO_LARGE', `input of ${bytes} bytes exceeds the limit of ${limit} bytes`, 'split the input or raise the maxInputBytes preference');
  }
}

/** Session state bytes (restoreSession) of another format or version, or damaged: a server-side data problem, not the caller's. */
export class SessionStateError extends IntelligenceError {
  constructor(message: string) {
    super('SESSION_STATE_INVALID', message, 'the agent memory holds another format or is damaged; remove the agent (its memory) or use a matching gyro');
  }
}

/** An agent or pool was used after close(). */
export class ClosedError extends IntelligenceError {
  constructor(what: string) {
    super('CLOSED', `${what} is closed`, 'create a new one');
  }
}

/** A preference value out of its range (resolvePreferences). `key` names the preference. */
export class InvalidPreferenceError extends IntelligenceError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super('INVALID_PREFERENCE', message, `see DEFAULT_PREFERENCES for the range of ${key}`);
  }
}
