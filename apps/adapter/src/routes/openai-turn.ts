import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, unavailable } from '../errors.js';
import { SseStream } from '../sse.js';
import type { ServerContext } from '../context.js';
import type { TurnRequest, TurnResult, WireLogprob, WireTrace } from '../worker/protocol.js';
import { disconnectSignal } from '../disconnect.js';

/** How one OpenAI endpoint shapes its replies (chat and legacy completions differ only here). */
export interface ReplyShape {
  idPrefix: string;
  object: string;
  chunkObject: string;
  /** A choice of the non-streamed reply. */
  choice(index: number, result: TurnResult): Record<string, unknown>;
  /** A choice of one chunk: text (null in the final chunk) and the logprobs of the tokens behind it. */
  chunkChoice(index: number, text: string | null, logprobs: WireLogprob[] | undefined, finish: string | null): Record<string, unknown>;
  /** Sent once per choice before its first text (chat's `delta.role`). */
  opening?(index: number): Record<string, unknown>;
}

export const usageOf = (rs: TurnResult[]) => {
  const prompt = rs.reduce((s, r) => s + r.promptTokens, 0);
  const completion = rs.reduce((s, r) => s + r.completionTokens, 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
};

/**
 * Run the turns of one request in order (one per prompt) and answer: one JSON body, or a
 * server-sent-event stream of chunks, finish chunks, an optional usage chunk and `[DONE]`.
 */
export async function answerTurns(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  turns: TurnRequest[],
  shape: ReplyShape,
  opts: { stream: boolean; includeUsage: boolean },
): Promise<unknown> {
  const engine = ctx.engine();
  if (!engine || ctx.draining) throw unavailable(ctx.draining ? 'the server is shutting down' : 'the engine is still warming up; retry shortly');
  const id = `${shape.idPrefix}-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const model = ctx.config.modelId;
  const results: TurnResult[] = [];
  // A client that goes away cancels its turn (queued: never starts; running: stops at its next token).
  const signal = disconnectSignal(reply);
  const run = async (turn: TurnRequest, onDelta?: (text: string, logprobs?: WireLogprob[]) => void, onTrace?: (trace: WireTrace) => void) => {
    const t0 = performance.now();
    const result = await engine.runTurn(turn, onDelta, signal, onTrace);
    ctx.metrics.turnLatency.observe((performance.now() - t0) / 1000);
    ctx.metrics.promptTokens.inc(result.promptTokens);
    ctx.metrics.completionTokens.inc(result.completionTokens);
    results.push(result);
    return result;
  };

  if (!opts.stream) {
    for (const turn of turns) await run(turn);
    // The look-inside trace (gyro.trace): one list per choice, or the list itself for one choice.
    const traces = results.some((r) => r.trace) ? { gyro: { trace: results.length === 1 ? results[0]!.trace : results.map((r) => r.trace ?? []) } } : {};
    return { id, object: shape.object, created, model, choices: results.map((r, i) => shape.choice(i, r)), usage: usageOf(results), ...traces };
  }

  const sse = new SseStream(reply);
  const chunk = (choice: Record<string, unknown>) => ({ id, object: shape.chunkObject, created, model, choices: [choice] });
  try {
    for (const [index, turn] of turns.entries()) {
      let opened = false;
      const open = () => {
        if (opened) return;
        opened = true;
        if (shape.opening) sse.send(chunk(shape.opening(index)));
      };
      const result = await run(
        turn,
        (text, logprobs) => {
          open();
          if (text || logprobs) sse.send(chunk(shape.chunkChoice(index, text, logprobs, null)));
        },
        // A traced token: its own chunk, with no choices, before the text it produces.
        (trace) => {
          open();
          sse.send({ id, object: shape.chunkObject, created, model, choices: [], gyro: { trace } });
        },
      );
      open();
      sse.send(chunk(shape.chunkChoice(index, null, undefined, result.finishReason)));
    }
    if (opts.includeUsage) sse.send({ id, object: shape.chunkObject, created, model, choices: [], usage: usageOf(results) });
    sse.done();
  } catch (err) {
    // Before the first event the failure is an ordinary error response (status and body);
    // after it, an in-band error event ends the stream without [DONE].
    if (!sse.opened) throw err;
    const api = err instanceof ApiError ? err : new ApiError(500, 'server_error', 'internal_error', String(err));
    if (api.code === 'client_closed_request') return reply; // nobody to tell: logged and counted as an abort
    request.log.warn({ err }, 'stream failed after it started');
    sse.fail(api.body());
  }
  return reply;
}
