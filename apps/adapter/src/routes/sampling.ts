import { invalidRequest, unsupportedParameter } from '../errors.js';
import type { TurnRequest, WireLogprob } from '../worker/protocol.js';

/**
 * The OpenAI generation parameters shared by /v1/chat/completions and /v1/completions: their
 * schema, what each does to the turn, and the ones refused with 400 `unsupported_parameter`
 * (a request that asks for JSON output, tool calls or several choices must not get a 200 that
 * silently does something else).
 */
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

export const MAX_STOP_STRINGS = 4;
export const MAX_TOP_LOGPROBS = 20;

export const stopSchema = nullable({
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', maxItems: MAX_STOP_STRINGS, items: { type: 'string', minLength: 1 } },
  ],
});

export const samplingProperties = {
  temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
  top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  stop: stopSchema,
  seed: nullable({ type: 'integer' }),
  user: { type: 'string' },
  n: nullable({ type: 'integer', minimum: 1 }),
  presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  logit_bias: nullable({ type: 'object' }),
  stream: nullable({ type: 'boolean' }),
  stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean' } } }),
  max_tokens: nullable({ type: 'integer', minimum: 1 }),
} as const;

export interface SamplingBody {
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  user?: string;
  n?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, unknown> | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
}

/** Refusals common to both endpoints: several choices, penalties, logit bias. */
export function refuseUnsupported(body: SamplingBody): void {
  if (body.n != null && body.n > 1)
    throw unsupportedParameter('n', `n = ${body.n} is not supported: this server returns one choice per prompt (send n = 1, or several requests)`);
  for (const p of ['presence_penalty', 'frequency_penalty'] as const) {
    if (body[p] != null && body[p] !== 0) throw unsupportedParameter(p, `${p} is not supported (the model has no token penalties); send 0 or leave it out`);
  }
  if (body.logit_bias != null && Object.keys(body.logit_bias).length > 0)
    throw unsupportedParameter('logit_bias', 'logit_bias is not supported; leave it out or send {}');
}

/** The turn fields of the sampling parameters (`topLogprobs` undefined: no logprobs). */
export function samplingOf(body: SamplingBody, topLogprobs: number | undefined): Pick<TurnRequest, 'temperature' | 'topP' | 'stop' | 'topLogprobs' | 'seed'> {
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    seed: body.seed ?? undefined,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    ...(stop.length ? { stop } : {}),
    ...(topLogprobs !== undefined ? { topLogprobs } : {}),
  };
}

const bytesOf = (s: string) => [...Buffer.from(s, 'utf8')];

/** Chat logprobs (`choices[].logprobs`): one entry per token, with its top alternatives. */
export function chatLogprobs(lps: WireLogprob[] | undefined) {
  if (lps === undefined) return null;
  return {
    content: lps.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      bytes: bytesOf(t.token),
      top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytesOf(a.token) })),
    })),
    refusal: null,
  };
}

/**
 * Legacy completions logprobs. `text_offset` counts the token strings (a space before a
 * word-initial piece), so it matches the text except where BERT's clean-up removed a space
 * before punctuation.
 */
export function completionLogprobs(lps: WireLogprob[] | undefined, offset = 0) {
  if (lps === undefined) return null;
  const text_offset: number[] = [];
  let at = offset;
  for (const t of lps) {
    text_offset.push(at);
    at += t.token.length;
  }
  return {
    tokens: lps.map((t) => t.token),
    token_logprobs: lps.map((t) => t.logprob),
    top_logprobs: lps.map((t) => Object.fromEntries(t.top.map((a) => [a.token, a.logprob]))),
    text_offset,
  };
}

export const checkTopLogprobs = (logprobs: boolean | null | undefined, top: number | null | undefined): number | undefined => {
  if (top != null && logprobs !== true) throw invalidRequest('top_logprobs needs logprobs: true', 'top_logprobs');
  return logprobs === true ? (top ?? 0) : undefined;
};
