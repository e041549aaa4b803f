// The command line of a server that a test or a bench starts: `gyro serve` and the adapter's
// `node dist/cli.js` read the same settings table (apps/adapter/src/config.ts), so one mapping
// from setting to flag serves both. Only the settings given become flags, in one order, so a
// caller's later flags (`...serveArgs(s), '--host', '0.0.0.0'`) still override (the last one wins).
// apps/adapter/src/config.test.ts checks that every flag here is a setting of the adapter.
const FLAGS = {
  host: '--host',
  port: '--port',
  assets: '--assets',
  store: '--store',
  agents: '--agents',
  workers: '--workers',
  workerNice: '--worker-nice',
  engineMode: '--engine-mode',
  logLevel: '--log-level',
};

export function serveArgs(settings) {
  return Object.entries(FLAGS).flatMap(([key, flag]) => (settings[key] === undefined ? [] : [flag, String(settings[key])]));
}
