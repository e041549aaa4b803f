export { loadConfig, ConfigError, SETTINGS, PREFERENCES_OPTION, settingHelp, type AdapterConfig, type ConfigSources, type Setting } from './config.js';
export { startServer, buildApp, type RunningServer } from './server.js';
export { serve, runFromArgv } from './main.js';
export { ApiError, type ErrorBody } from './errors.js';
export { EnginePool } from './worker/pool-client.js';
export type { TurnRequest, TurnResult, Conversation } from './worker/protocol.js';
