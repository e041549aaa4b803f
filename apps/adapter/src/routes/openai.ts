import type { FastifyInstance } from 'fastify';
import { assertModel, invalidRequest, unsupportedParameter } from '../errors.js';
import { planChatTurn, type ChatMessage } from '../chat/plan.js';
import type { ServerContext } from '../context.js';
import { answerTurns, type ReplyShape } from './openai-turn.js';
import { chatLogprobs, checkTopLogprobs, MAX_TOP_LOGPROBS, refuseUnsupported, samplingOf, samplingProperties, type SamplingBody } from './sampling.js';
import { gyroFieldSchema, traceTopOf, type GyroField } from '../chat/trace.js';

/** POST /v1/chat/completions body. Parameters it cannot honour are refused (sampling.ts); unknown extras are ignored. */
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
    ...samplingProperties,
    max_completion_tokens: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
    logprobs: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
    top_logprobs: { anyOf: [{ type: 'integer', minimum: 0, maximum: MAX_TOP_LOGPROBS }, { type: 'null' }] },
    response_format: { anyOf: [{ type: 'object', required: ['type'], properties: { type: { type: 'string' } } }, { type: 'null' }] },
    tools: { anyOf: [{ type: 'array' }, { type: 'null' }] },
    tool_choice: { anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'null' }] },
    functions: { anyOf: [{ type: 'array' }, { type: 'null' }] },
    function_call: { anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'null' }] },
    gyro: { anyOf: [gyroFieldSchema, { type: 'null' }] },
  },
} as const;

const streamQuerySchema = {
  type: 'object',
  properties: { stream: { type: 'string', enum: ['true', 'false', '1', '0'] } },
} as const;

interface ChatBody extends SamplingBody {
  model: string;
  messages: Array<ChatMessage & { content?: ChatMessage['content'] }>;
  max_completion_tokens?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: { type: string } | null;
  tools?: unknown[] | null;
  tool_choice?: string | Record<string, unknown> | null;
  functions?: unknown[] | null;
  function_call?: string | Record<string, unknown> | null;
  gyro?: GyroField | null;
}

/** Output formats and tool calls: refused rather than answered with prose. */
function refuseChatUnsupported(body: ChatBody): void {
  if (body.response_format != null && body.response_format.type !== 'text')
    throw unsupportedParameter(
      'response_format',
      `response_format "${body.response_format.type}" is not supported: this model writes free text only (send {"type": "text"} or leave it out)`,
    );
  if (body.tools != null && body.tools.length > 0)
    throw unsupportedParameter('tools', 'tools are not supported: this model cannot call functions (leave tools out)');
  if (body.tool_choice != null && body.tool_choice !== 'none')
    throw unsupportedParameter('tool_choice', 'tool_choice is not supported: this model cannot call functions (send "none" or leave it out)');
  if (body.functions != null && body.functions.length > 0)
    throw unsupportedParameter('functions', 'functions are not supported: this model cannot call functions (leave functions out)');
  if (body.function_call != null && body.function_call !== 'none')
    throw unsupportedParameter('function_call', 'function_call is not supported: this model cannot call functions');
}

const chatShape: ReplyShape = {
  idPrefix: 'chatcmpl',
  object: 'chat.completion',
  chunkObject: 'chat.completion.chunk',
  choice: (index, r) => ({
    index,
    message: { role: 'assistant', content: r.text, refusal: null },
    logprobs: chatLogprobs(r.logprobs),
    finish_reason: r.finishReason,
  }),
  chunkChoice: (index, text, lps, finish) => ({
    index,
    delta: text === null || text === '' ? {} : { content: text },
    logprobs: lps ? chatLogprobs(lps) : null,
    finish_reason: finish,
  }),
  opening: (index) => ({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }),
};

export function openaiRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/v1/models', async () => ({
      object: 'list',
      data: [{ id: ctx.config.modelId, object: 'model', created: Math.floor(ctx.startedAt / 1000), owned_by: 'gyro' }],
    }));

    app.get('/v1/models/:model', async (request) => {
      const { model } = request.params as { model: string };
      assertModel(model, ctx.config.modelId);
      return { id: model, object: 'model', created: Math.floor(ctx.startedAt / 1000), owned_by: 'gyro' };
    });

    app.post('/v1/chat/completions', { schema: { body: chatBodySchema, querystring: streamQuerySchema } }, async (request, reply) => {
      const body = request.body as ChatBody;
      const query = request.query as { stream?: string };
      assertModel(body.model, ctx.config.modelId);
      if (body.max_tokens != null && body.max_completion_tokens != null && body.max_tokens !== body.max_completion_tokens) {
        throw invalidRequest('max_tokens and max_completion_tokens disagree; send one of them', 'max_tokens');
      }
      refuseUnsupported(body);
      refuseChatUnsupported(body);
      const topLogprobs = checkTopLogprobs(body.logprobs, body.top_logprobs);
      const stream = body.stream === true || query.stream === 'true' || query.stream === '1';
      const maxNewTokens = body.max_completion_tokens ?? body.max_tokens ?? ctx.config.maxTokens;
      const turn = {
        ...planChatTurn(body.messages as ChatMessage[], { user: body.user, maxNewTokens, seed: undefined, stream, maxPromptBytes: ctx.config.maxPromptBytes }),
        ...samplingOf(body, topLogprobs),
        traceTop: traceTopOf(body.gyro),
      };
      return answerTurns(ctx, request, reply, [turn], chatShape, { stream, includeUsage: body.stream_options?.include_usage === true });
    });
  };
}
