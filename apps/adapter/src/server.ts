import Fastify, { type FastifyInstance } from 'fastify';
import type { AdapterConfig } from './config.js';
import type { ServerContext, TurnRunner } from './context.js';
import { clientErrorHandler, frameworkErrors, installErrorHandlers } from './errors.js';
import { installAuth } from './auth.js';
import { installCors } from './cors.js';
import { installRequestMetrics } from './disconnect.js';
import { AdapterMetrics } from './metrics/adapter-metrics.js';
import { openaiRoutes } from './routes/openai.js';
import { hfRoutes } from './routes/hf.js';
import { completionRoutes } from './routes/completions.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { debugRoutes } from './routes/debug.js';
import { pageRoutes } from './routes/page.js';
import { EnginePool } from './worker/pool-client.js';
import { fileCaps, raiseFileLimit, type FileLimits } from './fd-limit.js';
import { prepareEngine } from './warmup.js';
import type { FlushedAgent } from './worker/protocol.js';

/** Build the Fastify app (routes, validation, error shapes, metrics hooks); no engine, no port. */
export function buildApp(ctx: ServerContext): FastifyInstance {
  const app = Fastify({
    bodyLimit: ctx.config.bodyLimit,
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    // Wrong types are errors, not silently converted ("5" is not an integer).
    ajv: { customOptions: { coerceTypes: false, allErrors: false, removeAdditional: false } },
    // While draining, routes answer 503 themselves (in the OpenAI error shape); /health still answers.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Slow or stalled clients: headers and body must arrive within requestTimeoutMs (then a
    // 408), checked every second rather than Node's default 30 s.
    requestTimeout: ctx.config.requestTimeoutMs,
    http: {
      requestTimeout: ctx.config.requestTimeoutMs,
      headersTimeout: Math.min(ctx.config.requestTimeoutMs, 10_000),
      connectionsCheckingInterval: Math.min(1000, ctx.config.requestTimeoutMs),
    },
    // Malformed HTTP, oversized headers, timeouts and bad URLs answer in the OpenAI error shape too.
    clientErrorHandler: clientErrorHandler((api) => ctx.metrics.requests.inc({ route: 'protocol', method: '', status: String(api.status) })),
    frameworkErrors,
  });
  // Extra connections are closed at once by Node (its 'drop' event); counted in /metrics.
  app.server.maxConnections = ctx.config.maxConnections;
  app.server.on('drop', () => ctx.metrics.droppedConnections.inc());
  installErrorHandlers(app, ctx.config.bodyLimit);
  installCors(app, ctx.config.corsOrigins);
  // After CORS's hook (plugins load in order, `after` waits for them): a preflight is answered
  // without a key, and a 401 still carries the CORS headers a browser app needs to read it.
  app.after(() => installAuth(app, ctx.config.apiKeys));
  installRequestMetrics(app, ctx.metrics);
  app.register(openaiRoutes(ctx));
  app.register(completionRoutes(ctx));
  app.register(hfRoutes(ctx));
  app.register(healthRoutes(ctx));
  app.register(metricsRoutes(ctx));
  if (ctx.config.faultInjection) app.register(debugRoutes(ctx));
  app.register(pageRoutes(ctx));
  return app;
}

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port of the listening socket. */
  url: string;
  port: number;
  /** The settings in force (maxAgentsInMemory and maxConnections capped by the open-file limit). */
  config: AdapterConfig;
  /** The open-file limit after start-up (undefined where it cannot be read). */
  fileLimits: FileLimits | undefined;
  /**
   * Graceful stop: refuse new turns, let in-flight requests finish (each is bounded by its
   * deadline), flush and close every agent store, stop the workers. Resolves with the number of
   * agents flushed, each with the live records of its private store.
   */
  close(): Promise<FlushedAgent[]>;
}

/**
 * Warm up (workers load the assets, prime the tokenizer, create the triad), then open the port.
 * Nothing listens until the engine is ready.
 */
export async function startServer(requested: AdapterConfig): Promise<RunningServer> {
  // Resident agents and connections are capped by the open-file limit (raised to the hard limit
  // first), so a burst of new users evicts agents instead of failing with EMFILE.
  const fileLimits = raiseFileLimit();
  const caps = fileLimits ? fileCaps(fileLimits.soft, requested.workers, requested.maxAgentsInMemory, requested.maxConnections) : undefined;
  // Agents whose memory is in Redis (--memory) hold no file open: only connections are capped then.
  const agentCap = requested.memory === undefined ? caps?.maxAgentsPerWorker : requested.maxAgentsInMemory;
  const config: AdapterConfig = caps ? { ...requested, maxAgentsInMemory: agentCap!, maxConnections: caps.maxConnections } : requested;
  let pool: EnginePool | undefined;
  const ctx: ServerContext = {
    config,
    metrics: new AdapterMetrics(() => pool),
    engine: () => pool as TurnRunner | undefined,
    draining: false,
    startedAt: Date.now(),
  };
  const app = buildApp(ctx);
  const shared = await prepareEngine(config, (line) => app.log.info(line));
  pool = await EnginePool.start({
    workers: config.workers,
    turnTimeoutMs: config.turnTimeoutMs,
    assetsDir: config.assetsDir,
    engineMode: config.engineMode,
    nice: config.workerNice,
    publicStore: config.publicStore,
    privateRoot: config.privateRoot,
    memory: config.memory === undefined ? null : { url: config.memory, ttlMs: config.agentTtlMs },
    addressing: config.addressing,
    maxAgentsInMemory: config.maxAgentsInMemory,
    // Files only: agent memory in Redis (--memory) is bounded by its expiry instead.
    ...(config.memory ? {} : { agentsMaxBytes: config.agentsMaxBytes }),
    eviction: config.eviction,
    agent: config.agent,
    shared,
    onWorkerError: (i, message) => app.log.error(`engine worker ${i}: ${message}`),
    onWorkerRestarted: (i, ms) => app.log.warn(`engine worker ${i}: replaced in ${Math.round(ms)} ms, its agents reopen from disk`),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await pool.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<FlushedAgent[]> | undefined;
  return {
    app,
    url: `http://${host}:${port}`,
    port,
    config,
    fileLimits,
    close() {
      closing ??= (async () => {
        ctx.draining = true;
        // In-flight requests end by their deadline at the latest; do not wait much longer.
        const grace = new Promise<void>((r) => setTimeout(r, config.turnTimeoutMs + 2000).unref());
        await Promise.race([app.close(), grace]);
        return pool!.close();
      })();
      return closing;
    },
  };
}
