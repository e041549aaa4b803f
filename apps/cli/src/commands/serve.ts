import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { relaunchWithHugePages } from '@gyro/information';
import { OrbitStore } from '@gyro/store';
import { ensureAssetsShown, intFlag } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';
import { learnWordnet } from '../lib/learn-wordnet.js';

/** Options that map one-to-one onto the adapter's settings (same names as its flags). */
const PASS_THROUGH: Array<[string, string, string]> = [
  ['host', '--host <host>', 'interface to listen on (default 127.0.0.1; env GYRO_HOST)'],
  ['port', '--port <port>', 'TCP port, 0 for any free one (default 8000; env GYRO_PORT)'],
  ['assets', '--assets <dir>', 'meta-assets directory, built on first use (env GYRO_ASSETS)'],
  ['store', '--store <path>', 'knowledge store every agent reads (read-only), as for gyro ingest (env GYRO_STORE)'],
  ['agents', '--agents <dir>', "agents' private stores, <dir>/<id>/knowledge.bin (default agents/ beside the store; env GYRO_AGENTS)"],
  ['preferences', '--preferences <file>', 'JSON preferences file (env GYRO_PREFERENCES)'],
  ['workers', '--workers <n>', 'engine worker threads (env GYRO_WORKERS)'],
  ['turnTimeoutMs', '--turn-timeout-ms <ms>', 'deadline of one turn (default 8000; env GYRO_TURN_TIMEOUT_MS)'],
  ['bodyLimit', '--body-limit <bytes>', 'largest request body (default 1048576; env GYRO_BODY_LIMIT)'],
  ['logLevel', '--log-level <level>', 'request log level, or silent (default info; env GYRO_LOG_LEVEL)'],
];

/** True when the store file is missing or holds no live entry. */
function storeIsEmpty(path: string): boolean {
  if (!existsSync(path)) return true;
  const store = OrbitStore.open(path, { readOnly: true });
  try {
    return store.size === 0;
  } finally {
    store.close();
  }
}

/** What to paste into another terminal once the server listens. */
function tryItLines(url: string, model: string): string {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'what is a dog?' }] });
  return [
    '',
    `gyro is serving ${model} at ${url} (Ctrl-C stops it). Try it from another terminal:`,
    '',
    `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json' -d '${body}'`,
    '',
    '  # with the openai client for Node (npm i openai):',
    `  node --input-type=module -e "import OpenAI from 'openai'; const c = new OpenAI({ baseURL: '${url}/v1', apiKey: 'unused' }); const r = await c.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'what is a dog?' }] }); console.log(r.choices[0].message.content)"`,
    '',
    '  # with the openai client for Python (pip install openai):',
    `  python3 -c "from openai import OpenAI; c = OpenAI(base_url='${url}/v1', api_key='unused'); print(c.chat.completions.create(model='${model}', messages=[{'role': 'user', 'content': 'what is a dog?'}]).choices[0].message.content)"`,
    '',
  ].join('\n');
}

/**
 * `gyro serve`: the OpenAI-compatible and HF-style HTTP server (apps/adapter) until SIGTERM.
 * First run: builds the meta-assets if missing and learns the starter corpus (WordNet glosses)
 * into an empty store, so a fresh clone answers something on its first request.
 */
export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the HTTP server (OpenAI /v1/chat/completions, HF /generate, /health, /metrics) until SIGTERM or Ctrl-C; an empty store first learns the WordNet starter corpus');
  for (const [, flag, help] of PASS_THROUGH) cmd.option(flag, help);
  cmd.option('--no-starter', 'leave an empty store empty (default: learn the WordNet glosses into it first)');
  cmd.option('--starter-limit <n>', 'learn only the first N WordNet glosses into an empty store (0: all)');
  cmd.option('-q, --quiet', 'no progress bars or summaries of the first-run steps');
  cmd.action(async (opts: Record<string, string | boolean | undefined>) => {
    // The server loads the engine in STT mode: relaunch with huge pages first (GYRO_HUGE_PAGES=0 opts out).
    if (relaunchWithHugePages()) return;
    const argv: string[] = [];
    for (const [key, flag] of PASS_THROUGH) {
      const value = opts[key];
      if (typeof value === 'string') argv.push(flag.split(' ')[0]!, value);
    }
    const limit = intFlag('--starter-limit', opts.starterLimit as string | undefined, 0);
    const quiet = opts.quiet === true;
    // Loaded on demand: the other commands do not pay for the server's start-up.
    const { loadConfig, serve } = await import('@gyro/adapter');
    const config = loadConfig({ argv });
    const assets = await ensureAssetsShown({ assets: config.assetsDir, quiet });
    if (opts.starter !== false && storeIsEmpty(config.publicStore)) {
      if (!quiet) process.stderr.write(`gyro serve: the knowledge store ${config.publicStore} is empty; learning the starter corpus (WordNet 3.1 glosses; --no-starter skips it)\n`);
      await learnWordnet({ assets, store: config.publicStore, limit, quiet });
    }
    try {
      await serve({ ...config, assetsDir: assets }, (line) => {
        process.stderr.write(`${line.replace(/^gyro adapter: /, 'gyro serve: ')}\n`);
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) process.stdout.write(`${tryItLines(m[1]!, config.modelId)}\n`);
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      throw new UsageError(`port ${config.port} on ${config.host} is already in use (stop the other server, or pick another port: --port ${config.port + 1}, or --port 0 for any free one)`);
    }
  });
}
