import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A server-sent-events response that opens lazily: nothing is sent until the first event, so a
 * turn that fails before producing anything can still answer with a proper error status.
 */
export class SseStream {
  private stream: PassThrough | undefined;
  private ended = false;

  constructor(private readonly reply: FastifyReply) {}

  get opened(): boolean {
    return this.stream !== undefined;
  }

  private open(): PassThrough {
    if (this.stream) return this.stream;
    this.stream = new PassThrough();
    this.reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(this.stream);
    return this.stream;
  }

  /** One `data:` event with a JSON payload. */
  send(data: unknown): void {
    if (this.ended) return;
    this.open().write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** The terminating `data: [DONE]`. */
  done(): void {
    if (this.ended) return;
    this.open().end('data: [DONE]\n\n');
    this.ended = true;
  }

  /** End after an in-band error event (no [DONE]: the client sees the stream failed). */
  fail(body: unknown): void {
    if (this.ended) return;
    this.open().end(`data: ${JSON.stringify(body)}\n\n`);
    this.ended = true;
  }
}
