import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defaultStorePath } from '@gyro/store';
import { parseRedisUrl } from '@gyro/store-redis';
import { join, resolve, dirname } from 'node:path';
import { GyroError } from '@gyro/information';

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
  /**
   * The addressing expected of the public store (`canonical` or `state`), and the one `gyro
   * serve` learns its starter corpus with into an empty store. Unset: whatever the store records
   * (the starter: state). A store of the other addressing is refused at start-up.
   */
  addressing: 'canonical' | 'state' | undefined;
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
  /** Disk budget of the agents folder in bytes: least recently used conversations are forgotten beyond it. */
  agentsMaxBytes: number;
  eviction: 'lru' | 'lfu' | 'ttl';
  /** Default max new tokens when a request names none (undefined: the agent's own stop policy). */
  maxTokens: number | undefined;
  /** Extra preferences handed to every agent (the intelligence package's knobs). */
  agent: Record<string, unknown>;
  /** Log level of the HTTP server (pino levels, or 'silent'). */
  logLevel: string;
  /**
   * Keys accepted in `Authorization: Bearer KEY` (--api-key, repeatable, or GYRO_API_KEY; plus
   * the lines of apiKeyFile). Empty: no authentication (then only loopback should be bound).
   */
  apiKeys: string[];
  /** Origins browser apps may call from (--cors-origin, repeatable; `*` for any). Empty: no CORS headers, no preflight. */
  corsOrigins: string[];
  /** File with one API key per line (blank lines and `#` comments skipped). */
  apiKeyFile: string | undefined;
  /** Largest prompt (UTF-8 bytes of every message's text, or `inputs`), else 413. */
  maxPromptBytes: number;
  /** A request's headers and body must arrive within this many ms (slow or stalled clients get 408). */
  requestTimeoutMs: number;
  /** Open client connections at most; further connections are closed at once. */
  maxConnections: number;
  /**
   * Agent memory in Redis, `redis://HOST:PORT[/DB]`: private stores and session state live there,
   * shared by every replica. Undefined: files under privateRoot (the default).
   */
  memory: string | undefined;
  /** An agent's memory in Redis expires after this long without a turn (ms; default 30 days). */
  agentTtlMs: number;
  /** Where the preferences were read from, if anywhere. */
  preferencesPath: string | undefined;
  /** `POST /debug/fault` exists (tests only): environment GYRO_FAULT_INJECTION=1, no flag. */
  faultInjection: boolean;
}

/**
 * One setting: its config key, environment variable, flag, help and default. This table is the
 * only list of settings: `loadConfig`, the adapter's `--help`, and `gyro serve`'s options (one
 * commander option per row) are all generated from it, so they cannot drift apart.
 */
export interface Setting {
  key: keyof AdapterConfig;
  env: string;
  /** `--name`; the option takes one value, shown in help as `<arg>`. */
  flag: string;
  arg: string;
  help: string;
  /** The value when no source sets one (a function for defaults computed from other settings). */
  default?: (string | number | ((c: Partial<AdapterConfig>, env: NodeJS.ProcessEnv) => unknown)) | undefined;
  /** How `--help` shows the default when it is computed or absent. */
  shownDefault?: string | undefined;
  parse: (raw: string, name: string) => unknown;
  /** The flag may be given several times: the value is the list of every occurrence. */
  repeatable?: boolean | undefined;
}

/** Codes of the adapter's start-up errors (the HTTP codes are `ApiErrorCodes` in errors.ts). */
export const AdapterErrorCodes = { INVALID_CONFIG: 'INVALID_CONFIG' } as const;
export type AdapterErrorCode = keyof typeof AdapterErrorCodes;

/** A setting with a bad value; the message names the setting and where the value came from. */
export class ConfigError extends GyroError<AdapterErrorCode> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_CONFIG', message, undefined, options);
  }
}

const int =
  (min: number, max: number) =>
  (raw: string, name: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max)
      throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
    return v;
  };
const str = (raw: string, name: string): string => {
  if (raw.length === 0) throw new ConfigError(`${name} must not be empty`);
  return raw;
};
/** A key sent in an HTTP header: visible ASCII, no spaces. */
/** `*`, or an origin: scheme://host[:port], nothing after it (browsers send exactly that). */
const corsOrigin = (raw: string, name: string): string => {
  if (raw === '*') return raw;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== raw.replace(/\/$/, ''))
    throw new ConfigError(
      `${name} must be * or an origin like https://app.example.com or http://localhost:5173 (scheme, host, optional port; no path), got ${JSON.stringify(raw)}`,
    );
  return url.origin;
};
const apiKey = (raw: string, name: string): string => {
  if (!/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError(`${name} must be a non-empty key of visible ASCII characters without spaces`);
  return raw;
};
const redisUrl = (raw: string, name: string): string => {
  try {
    parseRedisUrl(raw);
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message}`);
  }
  return raw;
};
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A duration: a number with a unit (ms, s, m, h, d), or plain seconds; at least one second. */
const duration = (raw: string, name: string): number => {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? 's']! : NaN;
  if (!Number.isSafeInteger(ms) || ms < 1000)
    throw new ConfigError(`${name} must be a duration of at least 1 s such as 3600, 90m, 12h or 30d, got ${JSON.stringify(raw)}`);
  return ms;
};
const oneOf =
  (...values: string[]) =>
  (raw: string, name: string): string => {
    if (!values.includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
    return raw;
  };

// Rows that depend on others come after them (privateRoot after publicStore).
export const SETTINGS: Setting[] = [
  { key: 'host', env: 'GYRO_HOST', flag: '--host', arg: 'host', help: 'interface to listen on', default: '127.0.0.1', parse: str },
  { key: 'port', env: 'GYRO_PORT', flag: '--port', arg: 'port', help: 'TCP port, 0 for any free one', default: 8000, parse: int(0, 65535) },
  {
    key: 'assetsDir',
    env: 'GYRO_ASSETS',
    flag: '--assets',
    arg: 'dir',
    help: 'meta-assets directory, built on first use',
    shownDefault: '$XDG_CACHE_HOME/gyro/assets, else ~/.cache/gyro/assets',
    parse: str,
  },
  {
    key: 'publicStore',
    env: 'GYRO_STORE',
    flag: '--store',
    arg: 'path',
    help: 'knowledge store every agent reads (read-only), as for gyro ingest',
    default: (_c, env) => resolve(defaultStorePath(env)),
    shownDefault: "gyro ingest's default store",
    parse: str,
  },
  {
    key: 'privateRoot',
    env: 'GYRO_AGENTS',
    flag: '--agents',
    arg: 'dir',
    help: "agents' private stores, <dir>/<id>/knowledge.bin",
    default: (c) => join(dirname(c.publicStore!), 'agents'),
    shownDefault: 'agents/ beside the store',
    parse: str,
  },
  {
    key: 'addressing',
    env: 'GYRO_ADDRESSING',
    flag: '--addressing',
    arg: 'mode',
    help: "how the store keys states: canonical (orbit representatives, the reference's) or state (exact states); a store of the other one is refused, an empty store learns the starter corpus with it",
    shownDefault: "the store's own; state for the starter corpus",
    parse: oneOf('canonical', 'state'),
  },
  {
    key: 'workers',
    env: 'GYRO_WORKERS',
    flag: '--workers',
    arg: 'n',
    help: 'engine worker threads',
    default: () => Math.max(1, Math.min(4, availableParallelism())),
    shownDefault: 'CPU count, at most 4',
    parse: int(1, 64),
  },
  {
    key: 'workerNice',
    env: 'GYRO_WORKER_NICE',
    flag: '--worker-nice',
    arg: 'n',
    help: 'nice value of the worker threads, 0 for none',
    default: 10,
    parse: int(0, 19),
  },
  {
    key: 'turnTimeoutMs',
    env: 'GYRO_TURN_TIMEOUT_MS',
    flag: '--turn-timeout-ms',
    arg: 'ms',
    help: 'deadline of one turn, from arrival to the last token',
    default: 8000,
    parse: int(1, 600_000),
  },
  {
    key: 'bodyLimit',
    env: 'GYRO_BODY_LIMIT',
    flag: '--body-limit',
    arg: 'bytes',
    help: 'largest request body',
    default: 1024 * 1024,
    parse: int(1024, 1 << 30),
  },
  {
    key: 'modelId',
    env: 'GYRO_MODEL_ID',
    flag: '--model-id',
    arg: 'id',
    help: 'model id served by /v1/models and required in requests',
    default: 'gyrosi-baby',
    parse: str,
  },
  {
    key: 'engineMode',
    env: 'GYRO_ENGINE_MODE',
    flag: '--engine-mode',
    arg: 'mode',
    help: 'engine mode: stt, or stt-free (no 808 MB table: faster start, slower turns)',
    default: 'stt',
    parse: oneOf('stt', 'stt-free'),
  },
  {
    key: 'maxAgentsInMemory',
    env: 'GYRO_MAX_AGENTS',
    flag: '--max-agents',
    arg: 'n',
    help: 'agents kept in memory per worker before eviction',
    default: 1000,
    parse: int(3, 1_000_000),
  },
  {
    key: 'agentsMaxBytes',
    env: 'GYRO_AGENTS_MAX_BYTES',
    flag: '--agents-max-bytes',
    arg: 'bytes',
    help: "disk budget of the agents folder; beyond it the least recently used users' agents are removed",
    default: 1 << 30,
    shownDefault: '1073741824 (1 GiB)',
    parse: int(1 << 16, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'eviction',
    env: 'GYRO_EVICTION',
    flag: '--eviction',
    arg: 'policy',
    help: 'agent eviction policy: lru, lfu or ttl',
    default: 'lru',
    parse: oneOf('lru', 'lfu', 'ttl'),
  },
  {
    key: 'maxTokens',
    env: 'GYRO_MAX_TOKENS',
    flag: '--max-tokens',
    arg: 'n',
    help: 'max new tokens when a request names none',
    shownDefault: "none: the agent's stop policy",
    parse: int(1, 4096),
  },
  {
    key: 'logLevel',
    env: 'GYRO_LOG_LEVEL',
    flag: '--log-level',
    arg: 'level',
    help: 'request log level (fatal, error, warn, info, debug, trace, silent)',
    default: 'info',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  {
    key: 'apiKeys',
    env: 'GYRO_API_KEY',
    flag: '--api-key',
    arg: 'key',
    help: 'require "Authorization: Bearer KEY" on every route but /health and /ready (repeatable)',
    shownDefault: 'none',
    parse: apiKey,
    repeatable: true,
  },
  {
    key: 'corsOrigins',
    env: 'GYRO_CORS_ORIGIN',
    flag: '--cors-origin',
    arg: 'origin',
    help: 'let browser apps served from ORIGIN call the server (CORS; repeatable; * for any)',
    default: () => [],
    shownDefault: 'none',
    parse: corsOrigin,
    repeatable: true,
  },
  { key: 'apiKeyFile', env: 'GYRO_API_KEY_FILE', flag: '--api-key-file', arg: 'file', help: 'more API keys, one per line (# comments)', parse: str },
  {
    key: 'maxPromptBytes',
    env: 'GYRO_MAX_PROMPT_BYTES',
    flag: '--max-prompt-bytes',
    arg: 'bytes',
    help: 'largest prompt (UTF-8 bytes of all messages), else 413',
    default: 64 * 1024,
    parse: int(1, 1 << 30),
  },
  {
    key: 'requestTimeoutMs',
    env: 'GYRO_REQUEST_TIMEOUT_MS',
    flag: '--request-timeout-ms',
    arg: 'ms',
    help: 'headers and body must arrive within this time, else 408',
    default: 30_000,
    parse: int(100, 3_600_000),
  },
  {
    key: 'memory',
    env: 'GYRO_MEMORY_URL',
    flag: '--memory',
    arg: 'url',
    help: "keep agents' memory (private stores, session state) in Redis, redis://HOST:PORT[/DB], shared by replicas",
    shownDefault: 'files under --agents',
    parse: redisUrl,
  },
  {
    key: 'agentTtlMs',
    env: 'GYRO_AGENT_TTL',
    flag: '--agent-ttl',
    arg: 'duration',
    help: 'with --memory: an agent idle this long is forgotten (Redis expiry); 3600, 90m, 12h, 30d',
    default: 30 * 86_400_000,
    shownDefault: '30d',
    parse: duration,
  },
  {
    key: 'maxConnections',
    env: 'GYRO_MAX_CONNECTIONS',
    flag: '--max-connections',
    arg: 'n',
    help: 'open client connections at most; more are closed at once',
    default: 1024,
    parse: int(1, 1_000_000),
  },
];

/** The preferences file: not a setting of its own (it holds settings), but a flag and a variable. */
export const PREFERENCES_OPTION = {
  flag: '--preferences',
  arg: 'file',
  env: 'GYRO_PREFERENCES',
  help: 'JSON preferences file (keys: the settings\' names, plus "agent")',
} as const;

/** One line of help for a setting: what it does, its default and its environment variable. */
export function settingHelp(s: Pick<Setting, 'help' | 'default' | 'shownDefault' | 'env'>): string {
  const shown = s.shownDefault ?? (typeof s.default === 'function' || s.default === undefined ? undefined : String(s.default));
  return `${s.help} (${shown === undefined ? '' : `default ${shown}; `}env ${s.env})`;
}

const PATH_KEYS = new Set<keyof AdapterConfig>(['assetsDir', 'publicStore', 'privateRoot', 'apiKeyFile']);

export interface ConfigSources {
  argv?: string[];
  /** Flag values already split by a command-line parser (`gyro serve` uses commander), keyed by flag (`--port`); parsed as argv would be. */
  flags?: ReadonlyMap<string, string | string[]>;
  env?: NodeJS.ProcessEnv;
  /** Already-parsed values (the `gyro serve` command passes its options here); highest precedence. */
  overrides?: Partial<AdapterConfig>;
}

/** Parse `--flag value` / `--flag=value` pairs of the known settings (plus --preferences); a repeatable flag keeps every value. */
function parseArgv(argv: string[]): Map<string, string | string[]> {
  const repeatable = new Set(SETTINGS.filter((s) => s.repeatable).map((s) => s.flag));
  const out = new Map<string, string | string[]>();
  const known = new Set([...SETTINGS.map((s) => s.flag), PREFERENCES_OPTION.flag]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // `pnpm start -- --port 8080` may pass the separator through
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) throw new ConfigError(`unknown option ${flag} (known: ${[...known].join(' ')})`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    out.set(flag, repeatable.has(flag) ? [...((out.get(flag) as string[] | undefined) ?? []), value] : value);
  }
  return out;
}

/** The keys of an API key file: one per line, blank lines and `#` comments skipped. */
export function readApiKeyFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the API key file ${path}: ${(err as Error).message}`);
  }
  const keys: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const key = line.trim();
    if (key && !key.startsWith('#')) keys.push(apiKey(key, `line ${i + 1} of the API key file ${path}`));
  });
  if (keys.length === 0) throw new ConfigError(`the API key file ${path} holds no key (one key per line)`);
  return keys;
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
  const flags = new Map([...parseArgv(sources.argv ?? []), ...(sources.flags ?? [])]);
  const preferencesPath = (flags.get(PREFERENCES_OPTION.flag) as string | undefined) ?? env[PREFERENCES_OPTION.env] ?? undefined;
  const prefs = preferencesPath ? readPreferences(preferencesPath) : {};
  const raw: Record<string, unknown> = {};

  for (const s of SETTINGS) {
    const fromPrefs = prefs[s.key];
    if (fromPrefs !== undefined) {
      if (typeof fromPrefs !== 'string' && typeof fromPrefs !== 'number')
        throw new ConfigError(`preferences key "${s.key}" in ${preferencesPath} must be a string or a number`);
      const v = s.parse(String(fromPrefs), `preferences key "${s.key}" in ${preferencesPath}`);
      // Relative paths in the preferences file are relative to the file itself.
      raw[s.key] = PATH_KEYS.has(s.key) ? resolve(dirname(resolve(preferencesPath!)), v as string) : v;
    }
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') raw[s.key] = s.parse(fromEnv, `environment variable ${s.env}`);
    const fromFlag = flags.get(s.flag);
    const parseFlag = (v: string) => s.parse(v, `option ${s.flag}`);
    if (fromFlag !== undefined)
      raw[s.key] = Array.isArray(fromFlag)
        ? s.repeatable
          ? fromFlag.map(parseFlag)
          : parseFlag(fromFlag.at(-1)!)
        : s.repeatable
          ? [parseFlag(fromFlag)]
          : parseFlag(fromFlag);
    else if (s.repeatable && raw[s.key] !== undefined) raw[s.key] = [raw[s.key]];
  }
  const agent = prefs.agent ?? {};
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent))
    throw new ConfigError(`preferences key "agent" in ${preferencesPath} must be an object`);
  const unknown = Object.keys(prefs).filter((k) => k !== 'agent' && !SETTINGS.some((s) => s.key === k));
  if (unknown.length) throw new ConfigError(`unknown preferences key(s) ${unknown.map((k) => `"${k}"`).join(', ')} in ${preferencesPath}`);

  const merged = { ...raw, ...sources.overrides } as Record<string, unknown>;
  for (const s of SETTINGS) {
    if (merged[s.key] === undefined && s.default !== undefined)
      merged[s.key] = typeof s.default === 'function' ? s.default(merged as Partial<AdapterConfig>, env) : s.default;
    if (PATH_KEYS.has(s.key) && typeof merged[s.key] === 'string') merged[s.key] = resolve(merged[s.key] as string);
  }
  // API keys: the highest source that names any (flags over environment), plus the key file's.
  const keyFile = merged.apiKeyFile as string | undefined;
  merged.apiKeys = [...new Set([...((merged.apiKeys as string[] | undefined) ?? []), ...(keyFile ? readApiKeyFile(keyFile) : [])])];
  return {
    ...(merged as unknown as AdapterConfig),
    agent: { ...(agent as Record<string, unknown>), ...((merged.agent as Record<string, unknown>) ?? {}) },
    preferencesPath,
    faultInjection: env.GYRO_FAULT_INJECTION === '1',
  };
}
