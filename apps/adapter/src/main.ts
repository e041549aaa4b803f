import { ConfigError, loadConfig, PREFERENCES_OPTION, SETTINGS, settingHelp, type AdapterConfig } from './config.js';
import { startServer, type RunningServer } from './server.js';
import { isLoopback } from './auth.js';
import { hugePagesRequested, relaunchWithHugePages } from './huge-pages.js';

/**
 * Run the server until SIGTERM/SIGINT/SIGHUP: the `start` script and `gyro serve` both come here.
 * On a signal: stop accepting, finish or fail in-flight turns, flush every store, exit 0.
 */
export async function serve(config: AdapterConfig, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<RunningServer> {
  log(
    `gyro adapter: warming up ${config.workers} engine worker(s) (assets ${config.assetsDir ?? 'default'}, store ${config.publicStore}, agents ${config.privateRoot}, huge pages ${hugePagesRequested() ? 'on' : 'off'})`,
  );
  const server = await startServer(config);
  if (config.apiKeys.length === 0 && !isLoopback(config.host)) {
    log(
      `gyro adapter: WARNING: listening on ${config.host} without an API key: anyone who can reach this address can use the server and fill its disk; set --api-key, --api-key-file or GYRO_API_KEY`,
    );
  }
  const files = server.fileLimits;
  if (files) {
    const raised = files.raisedFrom === undefined ? '' : ` (raised from ${files.raisedFrom})`;
    log(
      `gyro adapter: open-file limit ${files.soft}${raised}: at most ${server.config.maxAgentsInMemory} resident agents per worker, ${server.config.maxConnections} connections`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`gyro adapter: ${signal} received, draining`);
    server
      .close()
      .then((agents) => {
        const detail = agents.map((a) => `${a.id}=${a.entries}`).join(' ');
        log(`gyro adapter: stopped, ${agents.length} agent store(s) flushed (records: ${detail})`);
        process.exit(0);
      })
      .catch((err: Error) => {
        log(`gyro adapter: shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  // `on`, not `once`: a repeat (Ctrl-C reaches a relaunched process twice, see
  // relaunchWithHugePages) is the same request, not a reason to die mid-drain.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A closed terminal or a supervisor's hang-up: drain as for SIGTERM (Node's default would exit at once).
  process.on('SIGHUP', () => stop('SIGHUP'));
  // Announced only once the handlers are in place: a supervisor (or test) that signals as soon as
  // it reads this line must get a drain, not Node's default exit.
  log(
    `gyro adapter: listening on ${server.url} (model ${config.modelId}, ${config.apiKeys.length ? `${config.apiKeys.length} API key(s) required` : 'no API key'})`,
  );
  return server;
}

/** Entry of `node dist/main.js [flags]` (the package's start script). */
export async function runFromArgv(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return;
  }
  if (relaunchWithHugePages()) return; // the relaunched copy of this process serves
  try {
    await serve(loadConfig({ argv }));
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`gyro adapter: ${message.split('\n')[0]}\n`);
    process.exit(1);
  }
}

/** `gyro-adapter --help`, generated from the settings table (as `gyro serve --help` is). */
function usage(): string {
  const rows = [...SETTINGS, { ...PREFERENCES_OPTION, default: undefined, shownDefault: undefined }].map(
    (s) => [`${s.flag} <${s.arg}>`, settingHelp(s)] as const,
  );
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    'usage: gyro-adapter [options]',
    '',
    'Runs the OpenAI-compatible and HF-style HTTP server until SIGTERM or Ctrl-C.',
    '',
    'Options (flags override environment variables, which override the preferences file):',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
    '',
  ].join('\n');
}
