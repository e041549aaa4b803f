import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { ApiError, invalidRequest, unavailable } from '../errors.js';

/**
 * POST /debug/fault: fault injection for tests, registered only when the server starts with
 * GYRO_FAULT_INJECTION=1 (otherwise the route does not exist: 404 unknown_url).
 * `{"kind": "crash-worker", "worker": 0}` stops that engine worker at once, mid-turn (see EnginePool.crashWorker).
 */
export function debugRoutes(ctx: ServerContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/debug/fault',
      {
        schema: {
          body: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string', enum: ['crash-worker'] }, worker: { type: 'integer', minimum: 0 } },
          },
        },
      },
      async (request) => {
        const { worker = 0 } = request.body as { kind: 'crash-worker'; worker?: number };
        const engine = ctx.engine();
        if (!engine) throw unavailable('the engine is still warming up');
        if (worker >= engine.size) throw invalidRequest(`worker must be below ${engine.size}`, 'worker');
        if (!engine.crashWorker(worker))
          throw new ApiError(409, 'invalid_request_error', 'worker_not_running', `engine worker ${worker} is not running (being replaced)`, 'worker');
        return { ok: true, kind: 'crash-worker', worker };
      },
    );
  };
}
