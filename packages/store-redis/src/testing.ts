/**
 * Test helpers: a real `redis-server` on a free loopback port, started and stopped by the test
 * (nothing is mocked). Used by this package's tests and by the adapter's replica tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a `redis-server` binary is on the PATH (`.ci/run` installs one when it is not). */
export const hasRedisServer: boolean = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export interface RedisServerOptions {
  /** Keep data across a kill and restart: append-only file, fsync on every write (default false: `--save "" --appendonly no`). */
  persistent?: boolean;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Process id of the running server (changes on restart). */
  readonly pid: number;
  /** Send a signal (SIGKILL: the server dies; SIGSTOP / SIGCONT: it stops answering, then answers again). */
  signal(signal: NodeJS.Signals): void;
  /** Kill the server and wait until it is gone. */
  kill(): Promise<void>;
  /** Start it again on the same port (and, when persistent, from the same append-only file). */
  restart(): Promise<void>;
  /** Stop it and remove its folder. */
  stop(): Promise<void>;
}

/** A port the OS considers free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.end('PING\r\n');
      socket.once('data', (d) => resolve(d.toString().startsWith('+PONG')));
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

async function launch(port: number, dir: string, persistent: boolean): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--protected-mode', 'no'];
  args.push(...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error(`redis-server exited at start (port ${port})`);
    if (await accepts(port)) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within 5 s`);
}

function gone(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Start `redis-server` on a free port (retrying on a port taken meanwhile). */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gyro-redis-'));
  const persistent = options.persistent ?? false;
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, persistent);
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
  let current: ChildProcess = child;
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    get pid() {
      return current.pid!;
    },
    signal(signal) {
      current.kill(signal);
    },
    async kill() {
      current.kill('SIGKILL');
      await gone(current);
    },
    async restart() {
      current.kill('SIGKILL');
      await gone(current);
      current = await launch(port, dir, persistent);
    },
    async stop() {
      current.kill('SIGKILL');
      await gone(current);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
