import type { FastifyInstance } from 'fastify';
import { unavailable, invalidRequest, promptTooLarge } from '../errors.js';
import { DEFAULT_CONVERSATION } from '../chat/conversation.js';
import type { ServerContext } from '../context.js';

/** POST /generate: HF text-generation style. `parameters` follows HF names; others are ignored. */
export const generateBodySchema = {
  type: 'object',
  required: ['inputs'],
  properties: {
    inputs: { type: 'string' },
    parameters: {
      type: 'object',
      properties: {
        max_new_tokens: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
        seed: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      },
    },
  },
} as const;

interface GenerateBody {
  inputs: string;
  parameters?: { max_new_tokens?: number | null; seed?: number | null };
}

export function hfRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post('/generate', { schema: { body: generateBodySchema } }, async (request) => {
      const body = request.body as GenerateBody;
      if (body.inputs.trim() === '') throw invalidRequest('inputs is empty; send the text to continue', 'inputs', 'empty_content');
      const bytes = Buffer.byteLength(body.inputs);
      if (bytes > ctx.config.maxPromptBytes) throw promptTooLarge(bytes, ctx.config.maxPromptBytes, 'inputs');
      const engine = ctx.engine();
      if (!engine || ctx.draining) throw unavailable(ctx.draining ? 'the server is shutting down' : 'the engine is still warming up; retry shortly');
      const t0 = performance.now();
      const result = await engine.runTurn({
        conversation: DEFAULT_CONVERSATION,
        systemText: null,
        assistantMemory: null,
        userText: body.inputs,
        maxNewTokens: body.parameters?.max_new_tokens ?? ctx.config.maxTokens,
        seed: body.parameters?.seed ?? undefined,
        stream: false,
      });
      ctx.metrics.turnLatency.observe((performance.now() - t0) / 1000);
      ctx.metrics.promptTokens.inc({}, result.promptTokens);
      ctx.metrics.completionTokens.inc({}, result.completionTokens);
      // The vocabulary is uncased: the reply is in lower case, as the reference answers.
      return { generated_text: result.text.toLowerCase() };
    });
  };
}
