import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GyroError, RemoteError, type ErrorRecord } from '@gyro/information';

/**
 * Every `code` this server can answer with, and its usual HTTP status (fastify's style: one
 * place). The README's error table lists each one; `src/errors.test.ts` checks that it does.
 */
export const ApiErrorCodes = {
  invalid_json: 400,
  missing_required_parameter: 400,
  invalid_type: 400,
  empty_array: 400,
  invalid_value: 400,
  invalid_content_length: 400,
  missing_user_message: 400,
  empty_content: 400,
  invalid_url: 400,
  unsupported_parameter: 400,
  bad_request: 400,
  invalid_api_key: 401,
  model_not_found: 404,
  unknown_url: 404,
  request_timeout: 408,
  worker_not_running: 409,
  request_too_large: 413,
  unsupported_media_type: 415,
  request_header_too_large: 431,
  internal_error: 500,
  engine_error: 500,
  page_not_built: 500,
  unavailable: 503,
  draining: 503,
  not_ready: 503,
  memory_unavailable: 503,
  worker_restarted: 503,
  storage_unavailable: 503,
  deadline_exceeded: 504,
  /** Never sent (the client is gone): what the request log and metrics record for an abort. */
  client_closed_request: 499,
  insufficient_storage: 507,
} as const;
export type ApiErrorCode = keyof typeof ApiErrorCodes;

/** The OpenAI error body every failure of this server answers with. */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: ApiErrorCode };
}

/**
 * A failure with its HTTP status and OpenAI-style type/code. Route handlers and the worker
 * client throw these; the error handler turns every other error into one as well.
 */
export class ApiError extends GyroError<ApiErrorCode> {
  constructor(
    readonly status: number,
    readonly type: string,
    code: ApiErrorCode,
    message: string,
    readonly param: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(code, message, undefined, options);
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: ApiErrorCode = 'invalid_value') =>
  new ApiError(400, 'invalid_request_error', code, message, param);

/** A parameter this server understands but does not implement (400): refused, never silently ignored. */
/** The 404 for a model this server does not serve (chat, completions, and GET /v1/models/:model). */
export function assertModel(model: string, served: string): void {
  if (model !== served)
    throw new ApiError(404, 'invalid_request_error', 'model_not_found', `the model "${model}" does not exist; this server serves "${served}"`, 'model');
}
export const unsupportedParameter = (param: string, message: string) => new ApiError(400, 'invalid_request_error', 'unsupported_parameter', message, param);

/** A turn that missed its deadline (504): no reply is invented. */
export const deadlineMissed = (ms: number) =>
  new ApiError(
    504,
    'timeout_error',
    'deadline_exceeded',
    `the turn did not finish within its ${ms} ms deadline; nothing was generated for this request, try again or raise turnTimeoutMs`,
  );

/** The engine threw: the message names what failed (500). */
export const engineFailure = (message: string, options?: { cause?: unknown }) =>
  new ApiError(500, 'server_error', 'engine_error', `the engine failed: ${message}`, null, options);

/**
 * A turn that failed inside a worker, from the error's record (its code crosses the thread):
 * the request's own fault (input over the limit, a bad agent id or option) is a 4xx, anything
 * else the engine's 500.
 */
export function turnFailure(record: ErrorRecord): ApiError {
  const cause = new RemoteError(record);
  switch (record.code) {
    case 'INPUT_TOO_LARGE':
      return new ApiError(413, 'invalid_request_error', 'request_too_large', record.message, null, { cause });
    case 'STORE_REDIS_UNAVAILABLE':
      return memoryUnavailable(record.message, cause);
    case 'INVALID_ARGUMENT':
    case 'INVALID_PREFERENCE':
      return new ApiError(400, 'invalid_request_error', 'invalid_value', record.message, null, { cause });
    default:
      return engineFailure(record.message, { cause });
  }
}

/**
 * Agent memory (Redis, `--memory`) did not answer: the turn was not run or not acknowledged,
 * nothing of it counts; earlier acknowledged turns are in Redis. Retry once Redis is back (503).
 */
export const memoryUnavailable = (message: string, cause?: Error) =>
  new ApiError(
    503,
    'server_error',
    'memory_unavailable',
    `agent memory is unavailable, this turn was not kept; retry shortly: ${message}`,
    null,
    cause ? { cause } : undefined,
  );
/** The worker running the turn died; a replacement is starting, so a retry will be served (503). */
export const workerRestarted = (worker: number, why: string) =>
  new ApiError(
    503,
    'server_error',
    'worker_restarted',
    `engine worker ${worker} stopped (${why}) while running this turn; it is being replaced and the agents reopened from disk, retry the request`,
  );

/**
 * Agent memory could not be written. Disk full (ENOSPC, EDQUOT) or a file-size limit (EFBIG) is 507; a read-only or failing
 * file system is 503. Nothing of the failed turn was acknowledged; earlier turns are on disk.
 */
export function storageFailure(errno: string | undefined, message: string): ApiError {
  if (errno === 'ENOSPC' || errno === 'EDQUOT' || errno === 'EFBIG') {
    return new ApiError(507, 'server_error', 'insufficient_storage', `agent memory cannot be written, the disk is full (${errno}): ${message}`);
  }
  return new ApiError(503, 'server_error', 'storage_unavailable', `agent memory cannot be written${errno ? ` (${errno})` : ''}: ${message}`);
}

/**
 * The client closed its connection before the reply: the turn is cancelled. Nobody reads this
 * answer; 499 (nginx's "client closed request") is what the request log and metrics record.
 */
export const clientGone = () => new ApiError(499, 'invalid_request_error', 'client_closed_request', 'the client closed the connection; the turn was cancelled');

/** Not accepting turns: warming up or shutting down (503). */
export const unavailable = (why: string) => new ApiError(503, 'server_error', 'unavailable', why);

/** No key, a malformed Authorization header, or a key that is not configured (401). */
export const invalidApiKey = (what: 'missing' | 'malformed' | 'wrong') =>
  new ApiError(
    401,
    'invalid_request_error',
    'invalid_api_key',
    what === 'missing'
      ? 'this server requires an API key: send the header "Authorization: Bearer YOUR_KEY"'
      : what === 'malformed'
        ? 'the Authorization header must read "Bearer YOUR_KEY"'
        : 'incorrect API key provided',
  );

/** A prompt over maxPromptBytes (413): refused before any of it is learned. */
export const promptTooLarge = (bytes: number, limit: number, param: string) =>
  new ApiError(
    413,
    'invalid_request_error',
    'request_too_large',
    `the prompt is ${bytes} bytes, over the limit of ${limit} bytes (send less, or raise maxPromptBytes / GYRO_MAX_PROMPT_BYTES)`,
    param,
  );

/**
 * Errors Node's HTTP parser reports before Fastify sees a request (the 'clientError' event),
 * as OpenAI errors: a request timeout, headers too large, a bad Content-Length, other
 * malformed HTTP.
 */
export function protocolError(err: NodeJS.ErrnoException): ApiError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(
        408,
        'invalid_request_error',
        'request_timeout',
        'the request did not arrive in time (headers and body must arrive within requestTimeoutMs)',
      );
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'invalid_request_error', 'request_header_too_large', 'the request headers are too large');
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return invalidRequest('the Content-Length header is invalid', null, 'invalid_content_length');
    default:
      return invalidRequest(`malformed HTTP request (${err.code ?? 'parse error'})`, null, 'bad_request');
  }
}

/**
 * Fastify's `clientErrorHandler`: answer a protocol error in the OpenAI shape, then close the
 * connection (the parser cannot resynchronise). `counted` sees each one (for /metrics).
 */
export function clientErrorHandler(counted: (api: ApiError) => void) {
  return function handle(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const api = protocolError(err);
    counted(api);
    this.log.info({ code: err.code, status: api.status }, 'protocol error');
    if (socket.writable) {
      const body = JSON.stringify(api.body());
      socket.write(
        `HTTP/1.1 ${api.status} ${STATUS_CODES[api.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/** Turn an ajv path like "/messages/0/role" or "body/messages/0" into OpenAI's "messages[0].role". */
function paramFromPath(instancePath: string, missing?: string): string | null {
  const parts = instancePath.split('/').filter(Boolean);
  if (missing) parts.push(missing);
  if (parts.length === 0) return null;
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Map a schema validation failure to one readable 400. */
function validationError(err: FastifyError): ApiError {
  const first = err.validation?.[0];
  if (!first) return invalidRequest(err.message);
  const params = first.params as Record<string, unknown>;
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const param = paramFromPath(first.instancePath, missing);
  const where = param ?? 'the request body';
  let message: string;
  switch (first.keyword) {
    case 'required':
      message = `${where} is required`;
      return invalidRequest(message, param, 'missing_required_parameter');
    case 'type':
      message = `${where} must be of type ${String(params.type)}`;
      return invalidRequest(message, param, 'invalid_type');
    case 'minItems':
      message = `${where} must not be empty`;
      return invalidRequest(message, param, 'empty_array');
    case 'enum':
      message = `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      return invalidRequest(message, param);
    default:
      message = `${where} ${first.message ?? 'is invalid'}`;
      return invalidRequest(message, param);
  }
}

/** Classify any error thrown during a request into an ApiError. */
export function toApiError(err: unknown, bodyLimit?: number): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError;
  if (e && Array.isArray(e.validation)) return validationError(e);
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidRequest(
        `the request body is not valid JSON: ${e.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, '').trim() || 'parse error'}`,
        null,
        'invalid_json',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidRequest('the request body is empty; send a JSON object', null, 'invalid_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        413,
        'invalid_request_error',
        'request_too_large',
        `the request body is larger than the limit of ${bodyLimit ?? 'the configured number of'} bytes (send less, or raise bodyLimit / GYRO_BODY_LIMIT)`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'invalid_request_error', 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidRequest('the Content-Length header does not match the body', null, 'invalid_content_length');
    case 'FST_ERR_BAD_URL':
      return invalidRequest(`the URL is malformed: ${e.message}`, null, 'invalid_url');
  }
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, 'invalid_request_error', 'bad_request', e.message, null, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'server_error', 'internal_error', `internal error: ${message}`, null, { cause: err });
}

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.status).type('application/json; charset=utf-8').send(err.body());
}

/** Fastify's `frameworkErrors`: errors raised while routing (a malformed URL) in the OpenAI shape. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, toApiError(err));
}

/** Install the error and not-found handlers: every failure leaves as an OpenAI error body. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  // Only JSON bodies: without this, Fastify would accept text/plain and fail later with a vaguer error.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err, request: FastifyRequest, reply) => {
    const api = toApiError(err, bodyLimit);
    if (api.status >= 500) request.log.error({ err }, api.message);
    // The client left and its turn was cancelled: nothing to send (counted and logged as an abort).
    if (api.code === 'client_closed_request' || reply.raw.destroyed) return;
    // A stream that already started cannot change its status; sse.ts reports the error in-band.
    if (reply.sent || reply.raw.headersSent) return;
    return sendError(reply, api);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ApiError(
        404,
        'invalid_request_error',
        'unknown_url',
        `unknown route: ${request.method} ${request.url.split('?')[0]} (see GET /v1/models, POST /v1/chat/completions, POST /v1/completions, POST /generate, GET /health, GET /ready, GET /metrics)`,
      ),
    ),
  );
}
