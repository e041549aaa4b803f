import { hugePagesRequested, relaunchWithHugePages } from '@gyro/information';
import { ConfigError, loadConfig, type AdapterConfig } from './config.js';
import { startServer, type RunningServer } from './server.js';

/**
 * Run the server until SIGTERM/SIGINT: the `start` script and `gyro serve` both come here.
 * On a signal: stop accepting, finish or fail in-flight turns, flush every store, exit 0.
 */
export async function serve(config: AdapterConfig, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<RunningServer> {
  log(`gyro adapter: warming up ${config.workers} engine worker(s) (assets ${config.assetsDir ?? 'default'}, store ${config.publicStore}, agents ${config.privateRoot}, huge pages ${hugePagesRequested() ? 'on' : 'off'})`);
  const server = await startServer(config);
  log(`gyro adapter: listening on ${server.url} (model ${config.modelId})`);
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
  return server;
}

/** Entry of `node dist/main.js [flags]` (the package's start script). */
export async function runFromArgv(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: gyro-adapter [--host H] [--port P] [--assets DIR] [--store FILE] [--agents DIR] [--preferences FILE] [--workers N] [--turn-timeout-ms MS] [--body-limit BYTES] …\nSee apps/adapter/README.md for every setting and its environment variable.\n');
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
