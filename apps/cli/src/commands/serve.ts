import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { defaultStorePath, OrbitStore, type Addressing } from '@gyro/store';
import { PREFERENCES_OPTION, SETTINGS, loadConfig, settingHelp } from '@gyro/adapter/config';
import { relaunchWithHugePages } from '@gyro/adapter/huge-pages';
import { createOption, ensureAssetsShown, intFlag, writableStorePath } from '../lib/engine-setup.js';
import { UsageError } from '../lib/fail.js';
import { learnWordnet, STARTER_ADDRESSING } from '../lib/learn-wordnet.js';

/**
 * True when the store file is missing or holds no live entry. A store of another addressing
 * than `addressing` (when given) is refused here, before anything starts.
 */
function storeIsEmpty(path: string, addressing: Addressing | undefined): boolean {
  if (!existsSync(path)) return true;
  const store = OrbitStore.open(path, { readOnly: true, ...(addressing === undefined ? {} : { addressing }) });
  try {
    return store.size === 0;
  } finally {
    store.close();
  }
}

/** What to paste into another terminal once the server listens. */
function tryItLines(url: string, model: string, keyed: boolean): string {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'what is a dog?' }] });
  // With API keys the examples name a placeholder, never the key itself (stdout may be logged).
  const key = keyed ? 'YOUR_API_KEY' : 'unused';
  const auth = keyed ? ` -H 'authorization: Bearer ${key}'` : '';
  return [
    '',
    `gyro is serving ${model} at ${url} (Ctrl-C stops it). Try it from another terminal:`,
    '',
    `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json'${auth} -d '${body}'`,
    '',
    '  # with the openai client for Node (npm i openai):',
    `  node --input-type=module -e "import OpenAI from 'openai'; const c = new OpenAI({ baseURL: '${url}/v1', apiKey: '${key}' }); const r = await c.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'what is a dog?' }] }); console.log(r.choices[0].message.content)"`,
    '',
    '  # with the openai client for Python (pip install openai):',
    `  python3 -c "from openai import OpenAI; c = OpenAI(base_url='${url}/v1', api_key='${key}'); print(c.chat.completions.create(model='${model}', messages=[{'role': 'user', 'content': 'what is a dog?'}]).choices[0].message.content)"`,
    '',
  ].join('\n');
}

/**
 * `gyro serve`: the OpenAI-compatible and HF-style HTTP server (apps/adapter) until SIGTERM.
 * Its server options are the adapter's settings table, one option per row (help, default and
 * environment variable included), so a setting added there is a flag here without a change.
 * First run: builds the meta-assets if missing and learns the starter corpus (WordNet glosses)
 * into an empty store, so a fresh clone answers something on its first request.
 */
export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description(
      'run the HTTP server (OpenAI /v1/chat/completions, HF /generate, /health, /metrics) until SIGTERM or Ctrl-C; an empty store first learns the WordNet starter corpus',
    );
  const settingOptions = [...SETTINGS, { ...PREFERENCES_OPTION, default: undefined, shownDefault: undefined, repeatable: false }].map((s) => {
    // A repeatable setting (--api-key) collects every occurrence.
    if (s.repeatable) cmd.option(`${s.flag} <${s.arg}>`, settingHelp(s), (v: string, prev: string[] = []) => [...prev, v]);
    else cmd.option(`${s.flag} <${s.arg}>`, settingHelp(s));
    return s.flag;
  });
  cmd.option('--no-starter', 'leave an empty store empty (default: learn the WordNet glosses into it first)');
  cmd.option('--starter-limit <n>', 'learn only the first N WordNet glosses into an empty store (0: all)');
  cmd.option('-q, --quiet', 'no progress bars or summaries of the first-run steps');
  cmd.addOption(createOption());
  cmd.action(async (opts: Record<string, string | boolean | undefined>, self: Command) => {
    // The server loads the engine in STT mode: relaunch with huge pages first (GYRO_HUGE_PAGES=0 opts out).
    if (relaunchWithHugePages()) return;
    // commander has split the command line; loadConfig parses each value (and names the flag in its errors).
    const flags = new Map<string, string | string[]>();
    for (const option of self.options) {
      const value = opts[option.attributeName()] as unknown;
      if (option.long && settingOptions.includes(option.long) && (typeof value === 'string' || Array.isArray(value)))
        flags.set(option.long, value as string | string[]);
    }
    const limit = intFlag('--starter-limit', opts.starterLimit as string | undefined, 0);
    const quiet = opts.quiet === true;
    const config = loadConfig({ flags });
    // The store is written (the starter) when missing: the same rule as gyro ingest's.
    writableStorePath({ store: config.publicStore === resolve(defaultStorePath()) ? undefined : config.publicStore, create: opts.create === true });
    const assets = await ensureAssetsShown({ assets: config.assetsDir, quiet });
    if (storeIsEmpty(config.publicStore, config.addressing) && opts.starter !== false) {
      const addressing = config.addressing ?? STARTER_ADDRESSING;
      if (!quiet)
        process.stderr.write(
          `gyro serve: the knowledge store ${config.publicStore} is empty; learning the starter corpus (WordNet 3.1 glosses, ${addressing} addressing; --no-starter skips it)\n`,
        );
      await learnWordnet({ assets, store: config.publicStore, limit, quiet, addressing });
    }
    // Loaded on demand: the other commands do not pay for the server's start-up.
    const { serve } = await import('@gyro/adapter');
    let url: string;
    try {
      ({ url } = await serve({ ...config, assetsDir: assets }, (line) => process.stderr.write(`${line.replace(/^gyro adapter: /, 'gyro serve: ')}\n`)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      throw new UsageError(
        `port ${config.port} on ${config.host} is already in use (stop the other server, or pick another port: --port ${config.port + 1}, or --port 0 for any free one)`,
      );
    }
    process.stdout.write(`${tryItLines(url, config.modelId, config.apiKeys.length > 0)}\n`);
  });
}
