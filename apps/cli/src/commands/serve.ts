import type { Command } from 'commander';

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

/** `gyro serve`: the OpenAI-compatible and HF-style HTTP server (apps/adapter) until SIGTERM. */
export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the HTTP server (OpenAI /v1/chat/completions, HF /generate, /health, /metrics) until SIGTERM or Ctrl-C');
  for (const [, flag, help] of PASS_THROUGH) cmd.option(flag, help);
  cmd.action(async (opts: Record<string, string | undefined>) => {
    const argv: string[] = [];
    for (const [key, flag] of PASS_THROUGH) {
      const value = opts[key];
      if (value !== undefined) argv.push(flag.split(' ')[0]!, value);
    }
    // Loaded on demand: the other commands do not pay for the server's start-up.
    const { loadConfig, serve } = await import('@gyro/adapter');
    await serve(loadConfig({ argv }), (line) => process.stderr.write(`${line.replace(/^gyro adapter: /, 'gyro serve: ')}\n`));
  });
}
