import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError, invalidRequest, unavailable } from '../errors.js';
import { planChatTurn, type ChatMessage } from '../chat/plan.js';
import { SseStream } from '../sse.js';
import type { ServerContext } from '../context.js';
import type { TurnResult } from '../worker/protocol.js';

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

/** POST /v1/chat/completions body. Parameters OpenAI defines that do not apply are accepted and ignored. */
export const chatBodySchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string', minLength: 1 },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role', 'content'],
        properties: {
          role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant'] },
          content: {
            anyOf: [
              { type: 'string' },
              { type: 'null' },
              { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { type: 'string' }, text: { type: 'string' } } } },
            ],
          },
          name: { type: 'string' },
        },
      },
    },
    stream: nullable({ type: 'boolean' }),
    stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean' } } }),
    max_tokens: nullable({ type: 'integer', minimum: 1 }),
    max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
    seed: nullable({ type: 'integer' }),
    user: { type: 'string' },
    n: nullable({ type: 'integer', minimum: 1, maximum: 1 }),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  },
} as const;

const streamQuerySchema = {
  type: 'object',
  properties: { stream: { type: 'string', enum: ['true', 'false', '1', '0'] } },
} as const;

interface ChatBody {
  model: string;
  messages: Array<ChatMessage & { content?: ChatMessage['content'] }>;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  seed?: number | null;
  user?: string;
}

const completionId = () => `chatcmpl-${randomBytes(12).toString('hex')}`;
const usageOf = (r: TurnResult) => ({ prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, total_tokens: r.promptTokens + r.completionTokens });

export function openaiRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/v1/models', async () => ({
      object: 'list',
      data: [{ id: ctx.config.modelId, object: 'model', created: Math.floor(ctx.startedAt / 1000), owned_by: 'gyro' }],
    }));

    app.get('/v1/models/:model', async (request) => {
      const { model } = request.params as { model: string };
      if (model !== ctx.config.modelId) throw new ApiError(404, 'invalid_request_error', 'model_not_found', `the model "${model}" does not exist; this server serves "${ctx.config.modelId}"`, 'model');
      return { id: model, object: 'model', created: Math.floor(ctx.startedAt / 1000), owned_by: 'gyro' };
    });

    app.post('/v1/chat/completions', { schema: { body: chatBodySchema, querystring: streamQuerySchema } }, async (request, reply) => {
      const body = request.body as ChatBody;
      const query = request.query as { stream?: string };
      if (body.model !== ctx.config.modelId) {
        throw new ApiError(404, 'invalid_request_error', 'model_not_found', `the model "${body.model}" does not exist; this server serves "${ctx.config.modelId}"`, 'model');
      }
      if (body.max_tokens != null && body.max_completion_tokens != null && body.max_tokens !== body.max_completion_tokens) {
        throw invalidRequest('max_tokens and max_completion_tokens disagree; send one of them', 'max_tokens');
      }
      const stream = body.stream === true || query.stream === 'true' || query.stream === '1';
      const maxNewTokens = body.max_completion_tokens ?? body.max_tokens ?? ctx.config.maxTokens;
      const turn = planChatTurn(body.messages as ChatMessage[], { user: body.user, maxNewTokens, seed: body.seed ?? undefined, stream, maxPromptBytes: ctx.config.maxPromptBytes });
      const engine = ctx.engine();
      if (!engine || ctx.draining) throw unavailable(ctx.draining ? 'the server is shutting down' : 'the engine is still warming up; retry shortly');

      const id = completionId();
      const created = Math.floor(Date.now() / 1000);
      const model = ctx.config.modelId;
      const t0 = performance.now();

      if (!stream) {
        const result = await engine.runTurn(turn);
        ctx.metrics.turnLatency.observe((performance.now() - t0) / 1000);
        ctx.metrics.promptTokens.inc({}, result.promptTokens);
        ctx.metrics.completionTokens.inc({}, result.completionTokens);
        return {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: result.text, refusal: null }, logprobs: null, finish_reason: result.finishReason }],
          usage: usageOf(result),
        };
      }

      const sse = new SseStream(reply);
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      let sentRole = false;
      const role = () => {
        if (sentRole) return;
        sentRole = true;
        sse.send(chunk({ role: 'assistant', content: '' }, null));
      };
      try {
        const result = await engine.runTurn(turn, (text) => {
          role();
          if (text) sse.send(chunk({ content: text }, null));
        });
        ctx.metrics.turnLatency.observe((performance.now() - t0) / 1000);
        ctx.metrics.promptTokens.inc({}, result.promptTokens);
        ctx.metrics.completionTokens.inc({}, result.completionTokens);
        role();
        sse.send(chunk({}, result.finishReason));
        if (body.stream_options?.include_usage) sse.send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(result) });
        sse.done();
      } catch (err) {
        // Before the first event the failure is an ordinary error response (status and body);
        // after it, an in-band error event ends the stream without [DONE].
        if (!sse.opened) throw err;
        const api = err instanceof ApiError ? err : new ApiError(500, 'server_error', 'internal_error', String(err));
        request.log.warn({ err }, 'stream failed after it started');
        sse.fail(api.body());
      }
      return reply;
    });
  };
}
