import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { ServerContext } from '../context.js';

/**
 * GET /health: liveness, answered by the HTTP thread alone (never waits for the engine).
 * GET /ready: readiness, 200 only while the engine is warm, agent memory can be written and the
 * server is not draining. After a storage failure it re-tests the disk itself, so readiness comes
 * back when space does, without waiting for a turn that a load balancer would never send.
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
      await engine?.recheckStorage?.();
      if (ctx.draining) throw new ApiError(503, 'server_error', 'draining', 'the server is shutting down');
      if (engine?.storageFailure) throw new ApiError(503, 'server_error', 'storage_unavailable', engine.storageFailure);
      if (!engine?.ready) throw new ApiError(503, 'server_error', 'not_ready', 'the engine is not ready (warming up or a worker stopped)');
      return { status: 'ready' };
    });
  };
}
