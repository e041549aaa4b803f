import { InvalidArgumentError, toErrorRecord } from '@gyro/information';
import { InputTooLargeError, UnknownAgentError } from '@gyro/intelligence';
import { undocumentedCodes } from '@gyro/tooling/error-docs';
import { describe, expect, it } from 'vitest';
import { AdapterErrorCodes } from './config.js';
import { ApiError, ApiErrorCodes, toApiError, turnFailure } from './errors.js';

describe('error codes', () => {
  it("the README's error table lists every code the server can send", () => {
    expect(undocumentedCodes(Object.keys(ApiErrorCodes), new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('the start-up error codes are in the README too', () => {
    expect(undocumentedCodes(AdapterErrorCodes, new URL('../README.md', import.meta.url))).toEqual([]);
  });

  it('a client fault found in a worker keeps its code across the thread and becomes a 4xx', () => {
    const bad = turnFailure(toErrorRecord(new InvalidArgumentError('agent id "../x" is not valid')));
    expect(bad).toMatchObject({ status: 400, code: 'invalid_value' });
    expect(bad.cause).toMatchObject({ code: 'INVALID_ARGUMENT', name: 'InvalidArgumentError' });
    expect(turnFailure(toErrorRecord(new InputTooLargeError(10, 5)))).toMatchObject({ status: 413, code: 'request_too_large' });
    const engine = turnFailure(toErrorRecord(new UnknownAgentError('a')));
    expect(engine).toMatchObject({ status: 500, code: 'engine_error' });
    expect(turnFailure(toErrorRecord(new Error('boom')))).toMatchObject({ status: 500, code: 'engine_error' });
  });

  it('every Fastify failure maps to a declared code with its usual status', () => {
    for (const code of [
      'FST_ERR_CTP_INVALID_JSON_BODY',
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      'FST_ERR_CTP_BODY_TOO_LARGE',
      'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
    ]) {
      const api = toApiError(Object.assign(new Error('x'), { code }));
      expect(api.status).toBe(ApiErrorCodes[api.code]);
      expect(api).toBeInstanceOf(ApiError);
    }
    const other = toApiError(Object.assign(new Error('URI too long'), { code: 'FST_ERR_SOMETHING', statusCode: 414 }));
    expect(other).toMatchObject({ status: 414, code: 'bad_request' });
    expect(toApiError(new Error('boom'))).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
