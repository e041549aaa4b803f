import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { ServerContext } from '../context.js';

/**
 * GET /health: liveness, answered by the HTTP thread alone (never waits for the engine).
 * GET /ready: readiness, 200 only while the engine is warm and the server is not draining.
 */
export function healthRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/health', async () => ({
      status: 'ok',
      ready: Boolean(ctx.engine()?.ready) && !ctx.draining,
      uptime_s: Math.round((Date.now() - ctx.startedAt) / 1000),
    }));
    app.get('/ready', async () => {
      const engine = ctx.engine();
      if (ctx.draining) throw new ApiError(503, 'server_error', 'draining', 'the server is shutting down');
      if (engine?.storageFailure) throw new ApiError(503, 'server_error', 'storage_unavailable', engine.storageFailure);
      if (!engine?.ready) throw new ApiError(503, 'server_error', 'not_ready', 'the engine is not ready (warming up or a worker stopped)');
      return { status: 'ready' };
    });
  };
}
