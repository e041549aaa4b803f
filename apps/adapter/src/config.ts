import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defaultStorePath } from '@gyro/store';
import { join, resolve, dirname } from 'node:path';

/**
 * Every setting of the server. Sources, lowest to highest precedence: defaults, the preferences
 * file (JSON), environment variables, command-line flags. README.md documents each one.
 */
export interface AdapterConfig {
  host: string;
  port: number;
  /** Meta-assets directory (built on first use when missing). */
  assetsDir: string | undefined;
  /**
   * The knowledge store file every agent reads as its shared public layer (read-only here):
   * the same store `gyro ingest` writes, with the same default (see defaultStorePath).
   */
  publicStore: string;
  /** Root of the agents' private stores, `<privateRoot>/<agentId>/knowledge.bin` (default `agents/` beside the store, as `gyro chat`). */
  privateRoot: string;
  /** Engine worker threads (default: CPU count, at most 4). */
  workers: number;
  /**
   * Nice value of the worker threads (Linux renices threads one by one): the HTTP thread keeps
   * priority 0, so /health and streaming stay prompt when the engine saturates every core.
   */
  workerNice: number;
  /** Deadline of one turn, from arrival to the last token, in ms. */
  turnTimeoutMs: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** The id served by GET /v1/models and required in chat requests. */
  modelId: string;
  /** Information engine mode in the workers. */
  engineMode: 'stt' | 'stt-free';
  /** Agents kept in memory per worker before eviction. */
  maxAgentsInMemory: number;
  eviction: 'lru' | 'lfu' | 'ttl';
  /** Default max new tokens when a request names none (undefined: the agent's own stop policy). */
  maxTokens: number | undefined;
  /** Extra preferences handed to every agent (the intelligence package's knobs). */
  agent: Record<string, unknown>;
  /** Log level of the HTTP server (pino levels, or 'silent'). */
  logLevel: string;
  /** Where the preferences were read from, if anywhere. */
  preferencesPath: string | undefined;
}

/** One setting: its config key, environment variable, CLI flag and parser. */
interface Setting {
  key: keyof AdapterConfig;
  env: string;
  flag: string;
  parse: (raw: string, name: string) => unknown;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const int = (min: number, max: number) => (raw: string, name: string): number => {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return v;
};
const str = (raw: string, name: string): string => {
  if (raw.length === 0) throw new ConfigError(`${name} must not be empty`);
  return raw;
};
const oneOf = (...values: string[]) => (raw: string, name: string): string => {
  if (!values.includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
};

export const SETTINGS: Setting[] = [
  { key: 'host', env: 'GYRO_HOST', flag: '--host', parse: str },
  { key: 'port', env: 'GYRO_PORT', flag: '--port', parse: int(0, 65535) },
  { key: 'assetsDir', env: 'GYRO_ASSETS', flag: '--assets', parse: str },
  { key: 'publicStore', env: 'GYRO_STORE', flag: '--store', parse: str },
  { key: 'privateRoot', env: 'GYRO_AGENTS', flag: '--agents', parse: str },
  { key: 'workers', env: 'GYRO_WORKERS', flag: '--workers', parse: int(1, 64) },
  { key: 'workerNice', env: 'GYRO_WORKER_NICE', flag: '--worker-nice', parse: int(0, 19) },
  { key: 'turnTimeoutMs', env: 'GYRO_TURN_TIMEOUT_MS', flag: '--turn-timeout-ms', parse: int(1, 600_000) },
  { key: 'bodyLimit', env: 'GYRO_BODY_LIMIT', flag: '--body-limit', parse: int(1024, 1 << 30) },
  { key: 'modelId', env: 'GYRO_MODEL_ID', flag: '--model-id', parse: str },
  { key: 'engineMode', env: 'GYRO_ENGINE_MODE', flag: '--engine-mode', parse: oneOf('stt', 'stt-free') },
  { key: 'maxAgentsInMemory', env: 'GYRO_MAX_AGENTS', flag: '--max-agents', parse: int(3, 1_000_000) },
  { key: 'eviction', env: 'GYRO_EVICTION', flag: '--eviction', parse: oneOf('lru', 'lfu', 'ttl') },
  { key: 'maxTokens', env: 'GYRO_MAX_TOKENS', flag: '--max-tokens', parse: int(1, 4096) },
  { key: 'logLevel', env: 'GYRO_LOG_LEVEL', flag: '--log-level', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
];

const PATH_KEYS = new Set<keyof AdapterConfig>(['assetsDir', 'publicStore', 'privateRoot']);

export interface ConfigSources {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Already-parsed values (the `gyro serve` command passes its options here); highest precedence. */
  overrides?: Partial<AdapterConfig>;
}

/** Parse `--flag value` / `--flag=value` pairs of the known settings (plus --preferences). */
function parseArgv(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const known = new Set([...SETTINGS.map((s) => s.flag), '--preferences']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // `pnpm start -- --port 8080` may pass the separator through
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) throw new ConfigError(`unknown option ${flag} (known: ${[...known].join(' ')})`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    out.set(flag, value);
  }
  return out;
}

function readPreferences(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the preferences file ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the preferences file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`the preferences file ${path} must hold a JSON object`);
  return data as Record<string, unknown>;
}

/** Resolve the full configuration; throws ConfigError naming the bad setting and its source. */
export function loadConfig(sources: ConfigSources = {}): AdapterConfig {
  const env = sources.env ?? process.env;
  const flags = parseArgv(sources.argv ?? []);
  const preferencesPath = flags.get('--preferences') ?? env.GYRO_PREFERENCES ?? undefined;
  const prefs = preferencesPath ? readPreferences(preferencesPath) : {};
  const raw: Record<string, unknown> = {};

  for (const s of SETTINGS) {
    const fromPrefs = prefs[s.key];
    if (fromPrefs !== undefined) {
      if (typeof fromPrefs !== 'string' && typeof fromPrefs !== 'number') throw new ConfigError(`preferences key "${s.key}" in ${preferencesPath} must be a string or a number`);
      const v = s.parse(String(fromPrefs), `preferences key "${s.key}" in ${preferencesPath}`);
      // Relative paths in the preferences file are relative to the file itself.
      raw[s.key] = PATH_KEYS.has(s.key) ? resolve(dirname(resolve(preferencesPath!)), v as string) : v;
    }
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') raw[s.key] = s.parse(fromEnv, `environment variable ${s.env}`);
    const fromFlag = flags.get(s.flag);
    if (fromFlag !== undefined) raw[s.key] = s.parse(fromFlag, `option ${s.flag}`);
  }
  const agent = prefs.agent ?? {};
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) throw new ConfigError(`preferences key "agent" in ${preferencesPath} must be an object`);
  const unknown = Object.keys(prefs).filter((k) => k !== 'agent' && !SETTINGS.some((s) => s.key === k));
  if (unknown.length) throw new ConfigError(`unknown preferences key(s) ${unknown.map((k) => `"${k}"`).join(', ')} in ${preferencesPath}`);

  const path = (p: unknown) => (typeof p === 'string' ? resolve(p) : undefined);
  const merged = { ...raw, ...sources.overrides } as Partial<AdapterConfig>;
  const publicStore = path(merged.publicStore) ?? resolve(defaultStorePath(env));
  return {
    host: merged.host ?? '127.0.0.1',
    port: merged.port ?? 8000,
    assetsDir: path(merged.assetsDir),
    publicStore,
    privateRoot: path(merged.privateRoot) ?? join(dirname(publicStore), 'agents'),
    workers: merged.workers ?? Math.max(1, Math.min(4, availableParallelism())),
    workerNice: merged.workerNice ?? 10,
    turnTimeoutMs: merged.turnTimeoutMs ?? 8000,
    bodyLimit: merged.bodyLimit ?? 1024 * 1024,
    modelId: merged.modelId ?? 'gyrosi-baby',
    engineMode: merged.engineMode ?? 'stt',
    maxAgentsInMemory: merged.maxAgentsInMemory ?? 1000,
    eviction: merged.eviction ?? 'lru',
    maxTokens: merged.maxTokens,
    agent: { ...(agent as Record<string, unknown>), ...(merged.agent ?? {}) },
    logLevel: merged.logLevel ?? 'info',
    preferencesPath,
  };
}
