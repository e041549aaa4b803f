// The root entry: start the server from a configuration, and its error types. The settings
// table alone is `@gyro/adapter/config`; the parts the server is built from (buildApp over a
// ServerContext, the engine worker pool, the worker protocol) are `@gyro/adapter/internals`.
export { loadConfig, ConfigError, AdapterErrorCodes, type AdapterErrorCode, type AdapterConfig, type ConfigSources } from './config.js';
export { startServer, type RunningServer } from './server.js';
export { serve } from './main.js';
export type { FlushedAgent } from './worker/protocol.js';
export type { FileLimits } from './fd-limit.js';
export { ApiError, ApiErrorCodes, type ApiErrorCode, type ErrorBody } from './errors.js';
