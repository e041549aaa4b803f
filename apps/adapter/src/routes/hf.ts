import type { FastifyInstance } from 'fastify';
import { unavailable, invalidRequest, promptTooLarge } from '../errors.js';
import { DEFAULT_CONVERSATION } from '../chat/conversation.js';
import type { ServerContext } from '../context.js';
import type { TurnResult, WireLogprob } from '../worker/protocol.js';
import { MAX_TOP_LOGPROBS, samplingOf, stopSchema } from './sampling.js';
import { disconnectSignal } from '../disconnect.js';

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

/**
 * POST /generate: Hugging Face text-generation-inference style. `parameters` follows TGI's
 * names; `temperature`, `top_p` and `stop` act as in the OpenAI routes (temperature 0 is
 * greedy, where TGI would ask for do_sample: false); `details` adds the finish reason and every
 * generated token with its logprob (`top_n_tokens` alternatives each). Other names are ignored.
 */
export const generateBodySchema = {
  type: 'object',
  required: ['inputs'],
  properties: {
    inputs: { type: 'string' },
    parameters: {
      type: 'object',
      properties: {
        max_new_tokens: nullable({ type: 'integer', minimum: 1 }),
        seed: nullable({ type: 'integer' }),
        temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
        top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
        stop: stopSchema,
        details: nullable({ type: 'boolean' }),
        top_n_tokens: nullable({ type: 'integer', minimum: 0, maximum: MAX_TOP_LOGPROBS }),
      },
    },
  },
} as const;

interface GenerateBody {
  inputs: string;
  parameters?: {
    max_new_tokens?: number | null;
    seed?: number | null;
    temperature?: number | null;
    top_p?: number | null;
    stop?: string | string[] | null;
    details?: boolean | null;
    top_n_tokens?: number | null;
  };
}

/** TGI's finish reasons: the caller's limit, a stop string, or the model ending its reply. */
const finishReason = (r: TurnResult) => (r.finishReason === 'length' ? 'length' : r.stopReason === 'caller' ? 'stop_sequence' : 'eos_token');

/** A TGI token: the vocabulary is uncased, so text is as generated (lower case). */
const tgiToken = (t: { id: number; token: string; logprob: number }) => ({
  id: t.id,
  text: t.token,
  logprob: t.logprob,
  special: /^\[[A-Z]+\]$/.test(t.token),
});

function details(r: TurnResult, seed: number | null, topN: number | null | undefined) {
  const lps: WireLogprob[] = r.logprobs ?? [];
  return {
    finish_reason: finishReason(r),
    generated_tokens: r.completionTokens,
    seed,
    prefill: [],
    tokens: lps.map(tgiToken),
    ...(topN ? { top_tokens: lps.map((t) => t.top.map(tgiToken)) } : {}),
  };
}

export function hfRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/generate', { schema: { body: generateBodySchema } }, async (request, reply) => {
      const body = request.body as GenerateBody;
      const p = body.parameters ?? {};
      if (body.inputs.trim() === '') throw invalidRequest('inputs is empty; send the text to continue', 'inputs', 'empty_content');
      const bytes = Buffer.byteLength(body.inputs);
      if (bytes > ctx.config.maxPromptBytes) throw promptTooLarge(bytes, ctx.config.maxPromptBytes, 'inputs');
      const engine = ctx.engine();
      if (!engine || ctx.draining) throw unavailable(ctx.draining ? 'the server is shutting down' : 'the engine is still warming up; retry shortly');
      const t0 = performance.now();
      const result = await engine.runTurn(
        {
          conversation: DEFAULT_CONVERSATION,
          systemText: null,
          assistantMemory: null,
          userText: body.inputs,
          maxNewTokens: p.max_new_tokens ?? ctx.config.maxTokens,
          stream: false,
          ...samplingOf(p, p.details === true ? (p.top_n_tokens ?? 0) : undefined),
        },
        undefined,
        disconnectSignal(reply),
      );
      ctx.metrics.turnLatency.observe((performance.now() - t0) / 1000);
      ctx.metrics.promptTokens.inc(result.promptTokens);
      ctx.metrics.completionTokens.inc(result.completionTokens);
      // The vocabulary is uncased: the reply is in lower case, as the reference answers.
      const text = result.text.toLowerCase();
      return p.details === true ? { generated_text: text, details: details(result, p.seed ?? null, p.top_n_tokens) } : { generated_text: text };
    });
  };
}
