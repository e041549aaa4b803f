import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdapterMetrics } from './metrics/adapter-metrics.js';

/** True once the client closed the connection before its response was finished. */
const gone = (reply: FastifyReply) => !reply.raw.writableFinished;

/**
 * An AbortSignal that fires when the client goes away before its response is finished (the
 * response closes without finishing): routes hand it to the engine, which cancels the turn.
 */
export function disconnectSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (gone(reply)) ac.abort();
  });
  return ac.signal;
}

/**
 * Count every request once in gyro_http_requests_total and the latency histogram: finished
 * ones by their status, aborted ones (closed before the response finished; Fastify's onResponse
 * never runs for those) as status 499, logged at info level (a client leaving is not a server error).
 */
export function installRequestMetrics(app: FastifyInstance, metrics: AdapterMetrics): void {
  const counted = new WeakSet<FastifyRequest>();
  const count = (request: FastifyRequest, status: number, seconds: number) => {
    if (counted.has(request)) return;
    counted.add(request);
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(status) });
    metrics.latency.observe({ route }, seconds);
  };
  app.addHook('onRequest', async (request, reply) => {
    const t0 = performance.now();
    reply.raw.once('close', () => {
      if (!gone(reply) || counted.has(request)) return;
      request.log.info({ url: request.url, ms: Math.round(performance.now() - t0) }, 'client closed the connection before the response finished');
      count(request, 499, (performance.now() - t0) / 1000);
    });
  });
  app.addHook('onResponse', async (request, reply) => count(request, reply.statusCode, reply.elapsedTime / 1000));
}
