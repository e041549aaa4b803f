// Start the real server (dist/cli.js) as a child process on a free port, with its own store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveArgs } from '@gyro/tooling/serve-args';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Folder of the test's knowledge store (`knowledge.bin`) and agents (`agents/<id>/`). */
  storeDir: string;
  /** Everything the server wrote to stderr so far. */
  log(): string;
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServerProcess(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    storeDir?: string /** A command the server runs under, e.g. ['prlimit', '--nofile=256:256']. */;
    wrap?: string[];
  } = {},
): Promise<ServerProcess> {
  const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), 'gyro-adapter-'));
  const [command, ...prefix] = [...(opts.wrap ?? []), process.execPath];
  const child = spawn(
    command!,
    [
      ...prefix,
      join(appDir, 'dist', 'cli.js'),
      ...serveArgs({ host: '127.0.0.1', port: 0, store: join(storeDir, 'knowledge.bin'), logLevel: 'warn' }),
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 240 s:\n${stderr}`)), 240_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    storeDir,
    log: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
