import type { ApiErrorBody, Trace } from './types.js';

export interface StreamHandlers {
  onText(text: string): void;
  onTrace(trace: Trace): void;
  onFinish(reason: string): void;
}

/** A failure of the chat request, with the server's OpenAI error code and message when it sent one. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

type ChunkMessage = ApiErrorBody & { gyro?: { trace?: Trace }; choices?: Array<{ delta?: { content?: string }; finish_reason?: string | null }> };

/**
 * POST a streamed chat completion and read its server-sent events: text deltas, gyro traces,
 * the finish reason. Resolves at `[DONE]`; rejects with a RequestError for an error status, an
 * in-band error event or a stream that ends early, and with an AbortError when `signal` aborts.
 *
 * XMLHttpRequest rather than fetch: headless Chromium stops waiting for a fetch once its
 * headers arrive (so `--virtual-time-budget --dump-dom` would print a half-streamed reply),
 * while an XHR holds virtual time until its last byte. Its progress events stream just as well.
 */
export function streamChat(url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal, h: StreamHandlers): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let seen = 0;
    let done = false;
    let failure: RequestError | undefined;
    const consume = () => {
      if (xhr.status !== 200 || done || failure) return;
      const text = xhr.responseText;
      let cut: number;
      while (!done && !failure && (cut = text.indexOf('\n\n', seen)) >= 0) {
        const event = text.slice(seen, cut);
        seen = cut + 2;
        for (const line of event.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') {
            done = true;
            break;
          }
          const msg = JSON.parse(data) as ChunkMessage;
          if (msg.error) {
            failure = new RequestError(500, msg.error.code ?? null, msg.error.message);
            break;
          }
          if (msg.gyro?.trace) h.onTrace(msg.gyro.trace);
          const choice = msg.choices?.[0];
          if (choice?.delta?.content) h.onText(choice.delta.content);
          if (choice?.finish_reason) h.onFinish(choice.finish_reason);
        }
      }
    };
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.onprogress = consume;
    xhr.onload = () => {
      if (xhr.status !== 200) {
        let err: ApiErrorBody | undefined;
        try {
          err = JSON.parse(xhr.responseText) as ApiErrorBody;
        } catch {
          // not JSON: the status says enough
        }
        reject(new RequestError(xhr.status, err?.error?.code ?? null, err?.error?.message ?? `HTTP ${xhr.status}`));
        return;
      }
      consume();
      if (failure) reject(failure);
      else if (done) resolve();
      else reject(new RequestError(0, 'stream_ended', 'the stream ended before the reply was complete'));
    };
    xhr.onerror = () => reject(new RequestError(0, 'network_error', 'the server could not be reached'));
    xhr.onabort = () => reject(new DOMException('the reply was stopped', 'AbortError'));
    if (signal.aborted) return reject(new DOMException('the reply was stopped', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(JSON.stringify(body));
  });
}
