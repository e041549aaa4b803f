import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** GET /metrics: Prometheus text exposition (version 0.0.4), rendered by prom-client. */
export function metricsRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/metrics', async (_request, reply) => {
      reply.type(ctx.metrics.contentType);
      return await ctx.metrics.render();
    });
  };
}
