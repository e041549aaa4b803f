/**
 * The parts the server is built from: `buildApp(ctx)` (the Fastify app over any `TurnRunner`,
 * what the tests drive with `inject()`), the engine worker pool and its message protocol, and
 * the adapter's own command line (`runFromArgv`). For this workspace's tests, benchmarks and
 * the `gyro` command; no stability promise (the root entry is the package's API).
 */
export { buildApp } from './server.js';
export type { ServerContext, TurnRunner } from './context.js';
export { runFromArgv } from './main.js';
export { EnginePool } from './worker/pool-client.js';
export type { TurnRequest, TurnResult, Conversation, WireLogprob, WireTrace } from './worker/protocol.js';
