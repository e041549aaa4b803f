import type { FastifyInstance } from 'fastify';
import { assertModel, invalidRequest, promptTooLarge, unsupportedParameter } from '../errors.js';
import { conversationFor } from '../chat/conversation.js';
import type { ServerContext } from '../context.js';
import { answerTurns, type ReplyShape } from './openai-turn.js';
import { completionLogprobs, MAX_TOP_LOGPROBS, refuseUnsupported, samplingOf, samplingProperties, type SamplingBody } from './sampling.js';

/**
 * POST /v1/completions (OpenAI's legacy text completions, as llama.cpp, Ollama and vLLM serve
 * it): each prompt is one turn of the request's conversation, continued by the assistant, one
 * choice per prompt in order. Token-id prompts, `suffix`, `echo` and `best_of` > 1 are refused.
 */
export const completionBodySchema = {
  type: 'object',
  required: ['model', 'prompt'],
  properties: {
    model: { type: 'string', minLength: 1 },
    prompt: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }] },
    ...samplingProperties,
    logprobs: { anyOf: [{ type: 'integer', minimum: 0, maximum: MAX_TOP_LOGPROBS }, { type: 'null' }] },
    echo: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
    suffix: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    best_of: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
  },
} as const;

interface CompletionBody extends SamplingBody {
  model: string;
  prompt: string | string[];
  logprobs?: number | null;
  echo?: boolean | null;
  suffix?: string | null;
  best_of?: number | null;
}

const completionShape: ReplyShape = {
  idPrefix: 'cmpl',
  object: 'text_completion',
  chunkObject: 'text_completion',
  choice: (index, r) => ({ index, text: r.text, logprobs: completionLogprobs(r.logprobs), finish_reason: r.finishReason }),
  chunkChoice: (index, text, lps, finish) => ({ index, text: text ?? '', logprobs: lps ? completionLogprobs(lps) : null, finish_reason: finish }),
};

export function completionRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/v1/completions', { schema: { body: completionBodySchema } }, async (request, reply) => {
      const body = request.body as CompletionBody;
      assertModel(body.model, ctx.config.modelId);
      refuseUnsupported(body);
      if (body.echo === true) throw unsupportedParameter('echo', 'echo is not supported: the reply holds the completion only (prepend the prompt yourself)');
      if (body.suffix != null && body.suffix !== '')
        throw unsupportedParameter('suffix', 'suffix is not supported: this model continues text, it does not fill in');
      if (body.best_of != null && body.best_of > 1)
        throw unsupportedParameter('best_of', `best_of = ${body.best_of} is not supported: this server generates one completion per prompt`);
      const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt;
      // Agents learn every prompt: together they must fit in maxPromptBytes, as a chat's messages do.
      let bytes = 0;
      prompts.forEach((p, i) => {
        const param = typeof body.prompt === 'string' ? 'prompt' : `prompt[${i}]`;
        if (p.trim() === '') throw invalidRequest(`${param} is empty; send the text to continue`, param, 'empty_content');
        bytes += Buffer.byteLength(p);
        if (bytes > ctx.config.maxPromptBytes) throw promptTooLarge(bytes, ctx.config.maxPromptBytes, param);
      });
      const stream = body.stream === true;
      const base = {
        conversation: conversationFor(body.user),
        systemText: null,
        assistantMemory: null,
        maxNewTokens: body.max_tokens ?? ctx.config.maxTokens,
        stream,
        ...samplingOf(body, body.logprobs ?? undefined),
      };
      const turns = prompts.map((userText) => ({ ...base, userText }));
      return answerTurns(ctx, request, reply, turns, completionShape, { stream, includeUsage: body.stream_options?.include_usage === true });
    });
  };
}
