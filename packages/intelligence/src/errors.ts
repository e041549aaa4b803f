import { GyroError } from '@gyro/information';

/** The pool has no agent by that id and auto-creation is off for it. */
export class UnknownAgentError extends GyroError {
  constructor(readonly agentId: string) {
    super('UNKNOWN_AGENT', `agent "${agentId}" does not exist in the pool`, 'create it with pool.createAgent(id), call pool.ensureTriad(), or allow auto-creation');
  }
}

/** Input over the configured byte limit: refused before any of it is learned. */
export class InputTooLargeError extends GyroError {
  constructor(readonly bytes: number, readonly limit: number) {
    super('INPUT_TOO_LARGE', `input of ${bytes} bytes exceeds the limit of ${limit} bytes`, 'split the input or raise the maxInputBytes preference');
  }
}

/** An agent or pool was used after close(). */
export class ClosedError extends GyroError {
  constructor(what: string) {
    super('CLOSED', `${what} is closed`, 'create a new one');
  }
}

/** An argument that cannot be used (bad id, bad state index, bad option). */
export class InvalidArgumentError extends GyroError {
  constructor(message: string, hint?: string) {
    super('INVALID_ARGUMENT', message, hint);
  }
}
